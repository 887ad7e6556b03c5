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
 * that service's own main command class, so {@code escope serve inference --store X} takes exactly the options of
 * the inference server's main (see {@code escope serve inference --help}), and the two cannot drift.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "trainer|inference|metrics|all",
        description = "Run a service: trainer, inference, metrics, or all three in one JVM.")
final class ServeCommand implements Callable<Integer> {
    /** Services log their ports and lifecycle at info; the rest of the CLI logs warnings only. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    CommandSpec spec;

    /** The serve command with one subcommand per service. */
    static CommandLine commandLine() {
        CommandLine serve = new CommandLine(new ServeCommand());
        add(serve, "trainer", new TrainerServer());
        add(serve, "inference", new InferenceServer());
        add(serve, "metrics", new MetricsServer());
        add(serve, "all", new ServeAllCommand());
        return serve;
    }

    /** Adds {@code command} under {@code name}, which its usage then shows too ("escope serve trainer"). */
    private static void add(CommandLine serve, String name, Object command) {
        CommandLine sub = new CommandLine(command);
        sub.getCommandSpec().name(name);
        serve.addSubcommand(name, sub);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing service: trainer, inference, metrics or all");
    }
}
