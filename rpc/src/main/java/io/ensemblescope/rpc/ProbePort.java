package io.ensemblescope.rpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;

/**
 * The plaintext health port kubelet probes (they send no token and no client certificate) answers the overall
 * status only: a request naming a service (the inference server names one per loaded model) is PERMISSION_DENIED,
 * so the unauthenticated port reveals whether the process serves, and nothing else.
 */
final class ProbePort implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                        ServerCallHandler<Q, R> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (message instanceof HealthCheckRequest r && !r.getService().isEmpty()) {
                    refused = true;
                    call.close(Status.PERMISSION_DENIED.withDescription("the probe port answers only the overall"
                            + " status (service \"\"); ask the gRPC port with credentials"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
