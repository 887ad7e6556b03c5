package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;
import io.ensemblescope.api.v1.Checkpoint;
import io.ensemblescope.api.v1.ListCheckpointsRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import java.nio.file.Files;
import io.ensemblescope.rpc.security.ClientOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escope models}: the checkpoints in the store, read directly (no trainer starts, so no job runs), or through
 * a running trainer. Nothing found is said: an unknown model is an error, an empty store a message.
 */
@Command(name = "models", description = "List trained models (checkpoints).")
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this model.")
    String name;

    @Option(names = "--trainer", description = "host:port of a running trainer to ask (default: read --store"
            + " directly).")
    String trainer;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--store", description = "Checkpoint store (default: $ESCOPE_STORE, else"
            + " ~/.cache/ensemblescope/checkpoints).")
    Path store;

    /** One line of the table, from a manifest or from the trainer's answer. */
    record Row(String name, String version, String method, int members, String architecture, double accuracy,
               Instant created) {}

    @Override
    public Integer call() throws Exception {
        Values.hostPort("--trainer", trainer);
        if (name != null) {
            try {
                CheckpointStore.checkName(name, "NAME");
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        boolean explicitStore = store != null;
        if (trainer == null) {
            store = Defaults.store(store);
        }
        String where = trainer != null ? "the trainer at " + trainer : store.toString();
        boolean fresh = trainer == null && !Files.exists(store)
                && !explicitStore;
        List<Row> rows = fresh ? List.of() : trainer != null ? remote() : local();
        if (rows.isEmpty()) {
            if (name != null) {
                throw new NoSuchElementException("no model named '" + name + "' in " + where);
            }
            // The default store of a new user does not exist yet; a --store that does not is an error (local()).
            System.err.println("escope: no models in " + where + (fresh ? " (it does not exist yet: escope train or"
                    + " escope reproduce creates it)" : ""));
            return 0;
        }
        System.out.printf("%-48s %-6s %-15s %3s %-10s %8s  %s%n", "NAME", "VER", "METHOD", "K", "ARCH", "VAL ACC",
                "CREATED");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-48s %-6s %-15s %3d %-10s %8.4f  %s%n", r.name(), r.version(),
                    r.method(), r.members(), r.architecture(), r.accuracy(), r.created());
        }
        return 0;
    }

    private List<Row> local() throws Exception {
        Values.existingDirectory("--store", store);
        return new CheckpointStore(store).list(name).stream().map(ModelsCommand::row).toList();
    }

    private List<Row> remote() throws Exception {
        try (Targets.Trainer t = Targets.trainer(trainer, client, null, "cpu")) {
            return TrainerServiceGrpc.newBlockingStub(t.channel()).listCheckpoints(ListCheckpointsRequest
                    .newBuilder().setModelName(name == null ? "" : name).build()).getCheckpointsList().stream()
                    .map(ModelsCommand::row).toList();
        }
    }

    private static Row row(Manifest m) {
        return new Row(m.name(), m.version(), m.network().method().name(), m.network().members(),
                m.network().architecture(), m.metrics().getOrDefault("validation_accuracy", Double.NaN),
                Instant.parse(m.createdAt()));
    }

    private static Row row(Checkpoint c) {
        return new Row(c.getRef().getName(), c.getRef().getVersion(), c.getMethod().name(), c.getMembers(),
                c.getArchitecture(), c.getValidationAccuracy(), Instant.ofEpochMilli(c.getCreatedMs()));
    }
}
