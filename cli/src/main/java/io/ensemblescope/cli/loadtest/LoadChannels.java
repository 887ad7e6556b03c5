package io.ensemblescope.cli.loadtest;

import io.ensemblescope.rpc.security.ClientSecurity;
import io.grpc.ManagedChannel;
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
 * handled on those threads (direct executor: no hand-off between an answer and the next send). TLS, the client
 * certificate and the bearer token come from the same {@link ClientSecurity} every other client uses.
 */
final class LoadChannels implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** @param security how to reach the target (plaintext, TLS, mTLS, token), before the generator's own settings */
    LoadChannels(String target, int connections, ClientSecurity security) {
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        group = new NioEventLoopGroup(threads, new DefaultThreadFactory(GeneratorCpu.PREFIX + "-netty", true));
        for (int i = 0; i < connections; i++) {
            channels.add(security.channelBuilder(target).eventLoopGroup(group).channelType(NioSocketChannel.class)
                    .directExecutor().build());
        }
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
