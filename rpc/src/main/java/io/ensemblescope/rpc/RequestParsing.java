package io.ensemblescope.rpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the service, not gRPC, answer a request that is not a valid message. grpc-java parses each request before any
 * handler or interceptor sees it and answers a parse failure with UNKNOWN and a SEVERE stack trace in the log. Here
 * every method is re-bound to take the raw bytes, and parsing with the method's own marshaller is the handler's first
 * step: an undecodable request is INVALID_ARGUMENT, no handler runs, nothing is logged as a server fault. The service
 * descriptor is rebuilt with the original's name and schema (reflection reads them), as
 * {@code ServerInterceptors.useMarshalledMessages} does.
 */
public final class RequestParsing {
    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };
    private static final int MAX_REASON = 160;

    private RequestParsing() {}

    /** The same service with request parsing moved into its handlers. */
    public static ServerServiceDefinition guard(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<InputStream, ?> raw = rebind(method);
            descriptor.addMethod(raw.getMethodDescriptor());
            methods.add(raw);
        }
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return guarded.build();
    }

    private static <Q, R> ServerMethodDefinition<InputStream, R> rebind(ServerMethodDefinition<Q, R> definition) {
        MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
        MethodDescriptor<InputStream, R> raw = method.toBuilder(RAW, method.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(raw, (call, headers) -> {
            TypedCall<Q, R> typed = new TypedCall<>(call, method);
            return new ParsingListener<>(typed, method, handler.startCall(typed, headers));
        });
    }

    /** Parses each message, then hands it on; the first that does not parse ends the call. */
    private static final class ParsingListener<Q, R> extends ServerCall.Listener<InputStream> {
        private final TypedCall<Q, R> call;
        private final MethodDescriptor<Q, R> method;
        private final ServerCall.Listener<Q> delegate;
        private boolean rejected;

        ParsingListener(TypedCall<Q, R> call, MethodDescriptor<Q, R> method, ServerCall.Listener<Q> delegate) {
            this.call = call;
            this.method = method;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(InputStream bytes) {
            if (rejected) {
                return;
            }
            Q request;
            try {
                request = method.parseRequest(bytes);
            } catch (RuntimeException e) {
                rejected = true;
                call.reject(Status.INVALID_ARGUMENT.withDescription("request: not a valid message for "
                        + method.getFullMethodName() + " (" + reason(e) + ")"));
                return;
            }
            delegate.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!rejected) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            delegate.onCancel();
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }

        @Override
        public void onReady() {
            if (!rejected) {
                delegate.onReady();
            }
        }
    }

    /** The parser's own words (protobuf's never quote the input), bounded. */
    private static String reason(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) + "…" : m;
    }

    /**
     * The raw call as the handler's typed call. Outbound calls are serialised with {@link #reject}, which may run while
     * the handler answers from another thread; after a rejection the handler's answers are dropped.
     */
    private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<InputStream, R> raw;
        private final MethodDescriptor<Q, R> method;
        private boolean closed;
        private boolean rejected;

        TypedCall(ServerCall<InputStream, R> raw, MethodDescriptor<Q, R> method) {
            this.raw = raw;
            this.method = method;
        }

        synchronized void reject(Status status) {
            if (!closed) {
                closed = true;
                rejected = true;
                raw.close(status, new Metadata());
            }
        }

        @Override
        public synchronized void request(int numMessages) {
            if (!closed) {
                raw.request(numMessages);
            }
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                raw.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                raw.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                raw.close(status, trailers);
            }
        }

        @Override
        public synchronized boolean isCancelled() {
            return rejected || raw.isCancelled();
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public synchronized void setMessageCompression(boolean enabled) {
            raw.setMessageCompression(enabled);
        }

        @Override
        public synchronized void setCompression(String compressor) {
            raw.setCompression(compressor);
        }

        @Override
        public synchronized void setOnReadyThreshold(int numBytes) {
            raw.setOnReadyThreshold(numBytes);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return raw.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return raw.getAttributes();
        }

        @Override
        public String getAuthority() {
            return raw.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
