package io.ensemblescope.rpc;

import picocli.CommandLine;

/** Command lines that report a failed command as one line on stderr (exit 1) instead of a stack trace. */
public final class CommandLines {
    private CommandLines() {}

    /** {@code command}'s command line; errors print as {@code <prefix>: <message>}. */
    public static CommandLine oneLineErrors(Object command, String prefix) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(prefix + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return cl;
    }
}
