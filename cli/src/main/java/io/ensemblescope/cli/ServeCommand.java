package io.ensemblescope.cli;

import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.metrics.service.MetricsServer;
import io.ensemblescope.trainer.TrainerServer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code escope serve trainer|inference|metrics|all}: runs services in the foreground. Each service's subcommand is
 * that service's own main command, so {@code escope serve trainer --help} lists exactly the trainer's options.
 */
@Command(name = "serve", synopsisSubcommandLabel = "trainer|inference|metrics|all",
        description = "Run a service: trainer, inference, metrics, or all three in one JVM.")
final class ServeCommand implements Callable<Integer> {
    /** Services log their ports and lifecycle at info; the rest of the CLI logs warnings only. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    CommandSpec spec;

    /** The serve command with one subcommand per service. */
    static CommandLine commandLine() {
        return new CommandLine(new ServeCommand())
                .addSubcommand(named("trainer", new TrainerServer()))
                .addSubcommand(named("inference", new InferenceServer()))
                .addSubcommand(named("metrics", new MetricsServer()))
                .addSubcommand(named("all", new ServeAllCommand()));
    }

    /** A server main under the name {@code escope serve} gives it (its own says e.g. "trainer-server"). */
    private static CommandLine named(String name, Object main) {
        return new CommandLine(main).setCommandName(name);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing service: trainer, inference, metrics or all");
    }
}
