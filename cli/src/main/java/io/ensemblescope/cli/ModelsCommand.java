package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;

import io.ensemblescope.api.v1.Checkpoint;
import io.ensemblescope.api.v1.ListCheckpointsRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.rpc.security.ClientOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code escope models}: the checkpoints in the store, through a trainer (running, or one in this process). */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List trained models (checkpoints).")
final class ModelsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "Only this model name.")
    String name = "";

    @Option(names = "--trainer", description = "host:port of a running trainer (default: read --store directly).")
    String trainer;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--store", description = "Checkpoint store (default: $ESCOPE_STORE, else"
            + " ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Override
    public Integer call() throws Exception {
        try (Targets.Trainer t = Targets.trainer(trainer, client, trainer == null ? Defaults.store(store) : null,
                "cpu")) {
            var list = TrainerServiceGrpc.newBlockingStub(t.channel()).listCheckpoints(
                    ListCheckpointsRequest.newBuilder().setModelName(name).build()).getCheckpointsList();
            System.out.printf("%-48s %-6s %-15s %3s %-10s %8s  %s%n", "NAME", "VER", "METHOD", "K", "ARCH",
                    "VAL ACC", "CREATED");
            for (Checkpoint c : list) {
                System.out.printf("%-48s %-6s %-15s %3d %-10s %8.4f  %s%n", c.getRef().getName(),
                        c.getRef().getVersion(), c.getMethod(), c.getMembers(), c.getArchitecture(),
                        c.getValidationAccuracy(), Instant.ofEpochMilli(c.getCreatedMs()));
            }
            return 0;
        }
    }
}
