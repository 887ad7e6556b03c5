package io.ensemblescope.cli;

import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.rpc.security.ClientOptions;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code escope} command. Its attributes are inherited by every subcommand (scope INHERIT): {@code -h/--help},
 * {@code -V/--version}, {@code --verbose}, defaults shown in the help; {@link ErrorHandling} decides how each fails.
 * The contract is written in docs/CLI.md.
 */
@Command(name = "escope", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class, showDefaultValues = true, usageHelpAutoWidth = true,
        description = "Train, serve and audit efficient neural-network ensembles.",
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error. Environment: see docs/CLI.md."},
        subcommands = {VersionCommand.class, TrainCommand.class, ModelsCommand.class,
            EvaluateCommand.class, BenchCommand.class, Cifar10CCommand.class,
            ReproduceCommand.class, io.ensemblescope.cli.loadtest.LoadtestCommand.class,
            ProfileCommand.class, MonitorDemoCommand.class,
            CommandLine.HelpCommand.class})
public final class Escope {
    /**
     * grpc-java logs through java.util.logging, stack traces included (a name that does not resolve, a refused
     * connection). A client command reports such failures as their status, so its grpc logs wait for --verbose.
     * Held here: java.util.logging keeps loggers only weakly, and with them their level.
     */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    @Option(names = ErrorHandling.VERBOSE, scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line error (also: ESCOPE_DEBUG=1).")
    boolean verbose;

    public static void main(String[] args) {
        Engines.offline();
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** Closes the {@link ClientOptions} mixins (at any depth) of the commands that ran: their credential watchers. */
    private static void closeClientOptions(java.util.List<CommandLine> commands) {
        java.util.ArrayDeque<CommandLine.Model.CommandSpec> specs = new java.util.ArrayDeque<>();
        commands.forEach(c -> specs.add(c.getCommandSpec()));
        while (!specs.isEmpty()) {
            CommandLine.Model.CommandSpec spec = specs.pop();
            if (spec.userObject() instanceof ClientOptions options) {
                options.close();
            }
            specs.addAll(spec.mixins().values());
        }
    }

    /** The command line with one-line errors (exit 2 for usage, 1 for failures) instead of stack traces. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Escope());
        cl.addSubcommand("serve", ServeCommand.commandLine());
        cl.setExecutionStrategy(parsed -> {
            if (parsed.hasSubcommand() && parsed.subcommand().commandSpec().name().equals("serve")) {
                System.setProperty(ServeCommand.LOG_LEVEL_PROPERTY, "info"); // before the first logger starts
            } else if (!ErrorHandling.verbose(parsed.originalArgs())) {
                GRPC_LOG.setLevel(Level.OFF);
            }
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                closeClientOptions(parsed.asCommandLineList());
            }
        });
        // Install the handlers after every subcommand has been added: they reach the subcommands present now.
        return ErrorHandling.install(cl);
    }
}
