package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Calls to an inference target that resolves to several addresses (a headless Service's DNS name lists every ready
 * pod) go to all of them in turn, not all to the first (gRPC's default pick_first).
 */
class InferenceChannelsTest {
    private static final String SCHEME = "two-pods";

    @Test
    void callsGoRoundRobinOverEveryAddressTheTargetResolvesTo() throws Exception {
        AtomicInteger[] calls = {new AtomicInteger(), new AtomicInteger()};
        Server a = server(calls[0]);
        Server b = server(calls[1]);
        NameResolverProvider twoPods = resolver(List.of(new InetSocketAddress("127.0.0.1", a.getPort()),
                new InetSocketAddress("127.0.0.1", b.getPort())));
        NameResolverRegistry.getDefaultRegistry().register(twoPods);
        try (InferenceChannels channels = InferenceChannels.plaintext()) {
            var health = HealthGrpc.newBlockingStub(channels.channel(SCHEME + ":///inference-headless:50052"));
            for (int i = 0; i < 20; i++) {
                health.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
            }
        } finally {
            NameResolverRegistry.getDefaultRegistry().deregister(twoPods);
            a.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            b.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertEquals(20, calls[0].get() + calls[1].get());
        assertTrue(calls[0].get() >= 5 && calls[1].get() >= 5, "both pods serve: " + calls[0] + " / " + calls[1]);
    }

    private static Server server(AtomicInteger calls) throws Exception {
        ServerInterceptor count = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                calls.incrementAndGet();
                return next.startCall(call, headers);
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), count))
                .build().start();
    }

    /** Resolves every {@value #SCHEME} target to {@code addresses}, as DNS does a headless Service's name. */
    private static NameResolverProvider resolver(List<SocketAddress> addresses) {
        return new NameResolverProvider() {
            @Override
            protected boolean isAvailable() {
                return true;
            }

            @Override
            protected int priority() {
                return 5;
            }

            @Override
            public String getDefaultScheme() {
                return SCHEME;
            }

            @Override
            public NameResolver newNameResolver(URI target, NameResolver.Args args) {
                if (!SCHEME.equals(target.getScheme())) {
                    return null;
                }
                return new NameResolver() {
                    @Override
                    public String getServiceAuthority() {
                        return "inference-headless";
                    }

                    @Override
                    public void start(Listener2 listener) {
                        listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(
                                io.grpc.StatusOr.fromValue(addresses.stream().map(EquivalentAddressGroup::new).toList()))
                                .build());
                    }

                    @Override
                    public void shutdown() {
                    }
                };
            }
        };
    }
}
