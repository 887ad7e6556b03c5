package io.ensemblescope.cli;

import io.ensemblescope.core.engine.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code escope} command. */
@Command(name = "escope", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Train, serve and audit efficient neural-network ensembles.",
        subcommands = {VersionCommand.class, TrainCommand.class, ServeCommand.class, ModelsCommand.class, EvaluateCommand.class,
            BenchCommand.class, Cifar10CCommand.class, io.ensemblescope.cli.reproduce.ReproduceCommand.class,
            ProfileCommand.class, MonitorDemoCommand.class})
public final class Escope {

    public static void main(String[] args) {
        Engines.offline();
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line with one-line errors instead of stack traces. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Escope());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("escope: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return cl;
    }
}
