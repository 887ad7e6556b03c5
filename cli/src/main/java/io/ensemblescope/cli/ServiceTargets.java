package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;

import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.rpc.security.ClientOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of commands that talk to all three services: running ones by host:port (with TLS and a token as
 * {@link ClientOptions} says), or in-process ones on a store and device. A picocli mixin, so every such command
 * spells them the same way.
 */
public final class ServiceTargets {
    @Option(names = "--trainer", description = "host:port of a running trainer (with --inference and --metrics).")
    String trainer;

    @Option(names = "--inference", description = "host:port of a running inference service.")
    String inference;

    @Option(names = "--metrics", description = "host:port of a running metrics service.")
    String metrics;

    @Option(names = "--store", description = "Checkpoint store of the in-process services (default: $ESCOPE_STORE,"
            + " else ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N for the in-process services.")
    String device = "auto";

    @Mixin
    ClientOptions client = new ClientOptions();

    /** Whether the services are started in this process (no address given). */
    public boolean local() {
        return trainer == null && inference == null && metrics == null;
    }

    /** Checks the options before any work: addresses' form, all three or none, the device's form. */
    public void validate() {
        Values.hostPort("--trainer", trainer);
        Values.hostPort("--inference", inference);
        Values.hostPort("--metrics", metrics);
        if (!local() && (trainer == null || inference == null || metrics == null)) {
            throw new IllegalArgumentException("--trainer, --inference and --metrics go together: give all three"
                    + " (running services) or none (services started in this process)");
        }
        Values.device("--device", device);
    }

    public Connections open() throws Exception {
        return open(DataDirectories.NONE);
    }

    /** Connections; in-process services offer {@code dataDirs} to the datasets of an evaluation. */
    public Connections open(DataDirectories dataDirs) throws Exception {
        validate();
        return Connections.open(trainer, inference, metrics, local() ? Defaults.store(store) : null, device, dataDirs,
                client::resolve);
    }
}
