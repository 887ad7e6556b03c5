package io.ensemblescope.cli;

import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.rpc.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code escope} command. */
@Command(name = "escope", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Train, serve and audit efficient neural-network ensembles.",
        subcommands = {VersionCommand.class, TrainCommand.class, ModelsCommand.class, EvaluateCommand.class,
            BenchCommand.class, Cifar10CCommand.class, ReproduceCommand.class,
            io.ensemblescope.cli.loadtest.LoadtestCommand.class})
public final class Escope {

    public static void main(String[] args) {
        Engines.offline();
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line with one-line errors instead of stack traces. */
    public static CommandLine commandLine() {
        CommandLine cl = CommandLines.oneLineErrors(new Escope(), "escope");
        cl.addSubcommand("serve", ServeCommand.commandLine());
        // Handlers set on the root reach subcommands added before the call only; set it again for serve's tree.
        cl.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        cl.setExecutionStrategy(parsed -> {
            if (parsed.hasSubcommand() && parsed.subcommand().commandSpec().name().equals("serve")) {
                System.setProperty(ServeCommand.LOG_LEVEL_PROPERTY, "info");
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }
}
