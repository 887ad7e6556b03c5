package io.ensemblescope.rpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Names the service and its address when a call cannot reach it: grpc-java says only "UNAVAILABLE: io exception",
 * which leaves a user of three services guessing which one, at which address. The rewritten status reads
 * "inference service at localhost:50052 is unreachable (Connection refused)". Only failures raised on this side of
 * the connection (they carry a cause) are renamed; an UNAVAILABLE a server sent keeps its own description.
 */
public final class NamedTarget implements ClientInterceptor {
    private static final String NETTY_HANG_UP = "Network closed for unknown reason";

    private final String role;
    private final String target;

    /**
     * @param role e.g. "trainer", "inference", "metrics"
     * @param target the address the channel dials
     */
    public NamedTarget(String role, String target) {
        this.role = role;
        this.target = target;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        super.onClose(name(status), trailers);
                    }
                }, headers);
            }
        };
    }

    /** {@code status}, with the service and address named when it is a local failure to connect. */
    Status name(Status status) {
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return status;
        }
        if (status.getCause() == null) {
            // Netty's words when the peer hangs up before HTTP/2 starts: a TLS port dialled in plaintext does that.
            return NETTY_HANG_UP.equals(status.getDescription()) ? status.withDescription(role + " service at "
                    + target + " closed the connection before answering (if it serves TLS, connect with --tls or"
                    + " --tls-ca)") : status;
        }
        return Status.UNAVAILABLE.withCause(status.getCause()).withDescription(role + " service at " + target
                + " is unreachable (" + reason(status) + ")");
    }

    /** A short reason: Netty's messages carry syscall names and resolved addresses the user did not ask about. */
    private static String reason(Status status) {
        Throwable root = status.getCause();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        if (message.contains("Connection refused")) {
            return "connection refused";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (message.contains("timed out")) {
            return "connection timed out";
        }
        if (root.getClass().getSimpleName().equals("NotSslRecordException")) { // Netty's, shaded by grpc
            return "it answered without TLS: connect without --tls and --tls-ca";
        }
        if (root instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed: " + Statuses.prefix(message);
        }
        // Netty appends its channel pipeline on further lines.
        return status.getDescription() != null ? status.getDescription().lines().findFirst().orElse("")
                : root.getClass().getSimpleName();
    }
}
