package io.ensemblescope.cli;

import io.ensemblescope.rpc.NamedTarget;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.trainer.TrainerServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Channels to the services a command talks to: a running one at host:port, or one started in this process. */
final class Targets {
    private Targets() {}

    /** A channel to the {@code role} service at {@code target}; failures to reach it name both. */
    static ManagedChannel channel(String role, String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20)
                .intercept(new NamedTarget(role, target)).build();
    }

    /**
     * A trainer channel; closing it stops the in-process trainer if one was started. An in-process trainer leaves
     * interrupted jobs alone: a command trains its own job (or the one named by {@code train --resume}), never others
     * in the background.
     */
    static Trainer trainer(String target, Path store, String device) throws Exception {
        if (target != null) {
            return new Trainer(channel("trainer", Values.hostPort("--trainer", target)), null);
        }
        ServiceServer local = TrainerServer.start(0, -1, store, device, false);
        return new Trainer(channel("trainer", "127.0.0.1:" + local.port()), local);
    }

    record Trainer(ManagedChannel channel, ServiceServer local) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            if (local != null) {
                local.stop(30);
            }
        }
    }
}
