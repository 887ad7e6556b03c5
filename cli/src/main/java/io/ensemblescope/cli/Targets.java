package io.ensemblescope.cli;

import io.ensemblescope.rpc.NamedTarget;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.security.ClientOptions;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.trainer.TrainerServer;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Channels to the services a command talks to: a running one at host:port, or one started in this process. */
final class Targets {
    private Targets() {}

    /**
     * A channel to the {@code role} service at {@code target}, secured as {@code security} says; failures to reach it
     * name both.
     */
    static ManagedChannel channel(String role, String target, ClientSecurity security) {
        return security.channelBuilder(target).intercept(new NamedTarget(role, target)).build();
    }

    /**
     * A trainer channel: to {@code target} with the security {@code client} describes, else to a trainer started
     * here on loopback; closing it stops the in-process trainer if one was started. An in-process trainer leaves
     * interrupted jobs alone: a command trains its own job (or the one named by {@code train --resume}), never others
     * in the background.
     */
    static Trainer trainer(String target, ClientOptions client, Path store, String device) throws Exception {
        if (target != null) {
            return new Trainer(channel("trainer", Values.hostPort("--trainer", target), client.resolve()), null);
        }
        ServiceServer local = TrainerServer.start(0, -1, store, device, false);
        return new Trainer(channel("trainer", "127.0.0.1:" + local.port(), ClientSecurity.PLAINTEXT), local);
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
