package io.ensemblescope.metrics.service;

import io.ensemblescope.rpc.NamedTarget;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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
     * Plaintext channels to host:port targets (the services talk inside one cluster); a target that cannot be
     * reached is named in the status the evaluation fails with.
     */
    public static InferenceChannels plaintext() {
        return new InferenceChannels(target -> ManagedChannelBuilder.forTarget(target).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).intercept(new NamedTarget("inference", target)).build());
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
