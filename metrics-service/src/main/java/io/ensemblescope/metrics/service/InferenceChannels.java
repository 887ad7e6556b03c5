package io.ensemblescope.metrics.service;

import io.ensemblescope.rpc.NamedTarget;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One channel per inference target, opened on first use and closed with the service. */
public final class InferenceChannels implements AutoCloseable {
    private final Function<String, ManagedChannel> open;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public InferenceChannels(Function<String, ManagedChannel> open) {
        this.open = open;
    }

    /**
     * Plaintext channels to host:port targets; see {@link #with}.
     */
    public static InferenceChannels plaintext() {
        return with(ClientSecurity.PLAINTEXT);
    }

    /**
     * Channels to host:port targets with {@code security} (TLS, client certificate, token as configured). Calls go
     * round-robin over every address a target resolves to: through a headless Service, that is every ready inference
     * pod (gRPC's default, pick_first, would send them all to one). A target that cannot be reached is named in the
     * status the evaluation fails with.
     */
    public static InferenceChannels with(ClientSecurity security) {
        return new InferenceChannels(target -> security.channelBuilder(target)
                .defaultLoadBalancingPolicy("round_robin")
                .intercept(new NamedTarget("inference", target)).build());
    }

    public Channel channel(String target) {
        return channels.computeIfAbsent(target, open);
    }

    @Override
    public void close() {
        for (ManagedChannel c : channels.values()) {
            c.shutdown();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                c.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
