package io.ensemblescope.cli.loadtest;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator's connections to a target: {@code connections} independent HTTP/2 connections on event-loop threads
 * of the generator's own (named {@value GeneratorCpu#PREFIX}-netty-…, so their CPU is the generator's), with answers
 * handled on those threads (direct executor: no hand-off between an answer and the next send).
 */
final class LoadChannels implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<ManagedChannel> channels = new ArrayList<>();

    /**
     * @param builder how to reach the target; TLS and authentication options belong here when the CLI has them
     *     (applied to a NettyChannelBuilder before the generator's own settings)
     */
    LoadChannels(String target, int connections, java.util.function.UnaryOperator<NettyChannelBuilder> builder) {
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        group = new NioEventLoopGroup(threads, new DefaultThreadFactory(GeneratorCpu.PREFIX + "-netty", true));
        for (int i = 0; i < connections; i++) {
            channels.add(builder.apply(NettyChannelBuilder.forTarget(target)).eventLoopGroup(group)
                    .channelType(NioSocketChannel.class).directExecutor().maxInboundMessageSize(64 << 20).build());
        }
    }

    /** Plaintext, as every EnsembleScope service speaks today. */
    static LoadChannels plaintext(String target, int connections) {
        return new LoadChannels(target, connections, NettyChannelBuilder::usePlaintext);
    }

    List<ManagedChannel> channels() {
        return channels;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            c.awaitTermination(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
