package io.ensemblescope.cli;

import io.ensemblescope.cli.progress.ProgressBar;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every {@code escope} command fails: one line on stderr, {@code escope: <what went wrong>}, and an exit code —
 * {@value #USAGE} for a usage error (picocli's parse errors, and an {@link IllegalArgumentException} whose message
 * starts with the flag or environment variable it is about, the convention every command follows), {@value #FAILURE}
 * for anything else. The stack trace follows only with {@code --verbose} or {@code ESCOPE_DEBUG=1}. Installed once on
 * the root command line, so every subcommand shares it.
 */
public final class ErrorHandling implements IExecutionExceptionHandler, IParameterExceptionHandler {
    public static final int USAGE = 2;
    public static final int FAILURE = 1;
    /** Set to 1 (or true) for stack traces on every failure. */
    public static final String DEBUG_ENV = "ESCOPE_DEBUG";
    static final String VERBOSE = "--verbose";
    /** How a usage error's message starts: with the flag or environment variable it is about. */
    private static final Pattern NAMES_A_SETTING = Pattern.compile("--[a-z0-9]|ESCOPE_[A-Z0-9_]+\\b");

    private ErrorHandling() {}

    /** Installs the handlers on {@code cl} and every subcommand it holds now. */
    public static CommandLine install(CommandLine cl) {
        ErrorHandling h = new ErrorHandling();
        cl.setExecutionExceptionHandler(h);
        cl.setParameterExceptionHandler(h);
        return cl;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String line = oneLine(ex.getMessage()) + suggestions(ex) + " (see '" + qualifiedName(cmd) + " --help')";
        report(cmd.getErr(), line, ex, verbose(List.of(args)));
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        report(cmd.getErr(), describe(ex), ex, verbose(parsed.originalArgs()));
        return isUsage(ex) ? USAGE : FAILURE;
    }

    /** Whether {@code e} is about how the command was called rather than about the work. */
    static boolean isUsage(Throwable e) {
        return e instanceof ParameterException || e instanceof IllegalArgumentException && e.getMessage() != null
                && NAMES_A_SETTING.matcher(e.getMessage()).lookingAt();
    }

    /** The one line that says what went wrong, without the exception's class unless there is nothing else. */
    static String describe(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            String description = s.getStatus().getDescription();
            if (description == null) {
                return s.getStatus().getCode().toString();
            }
            // An unreachable service is named with its address; other codes tell what the service refused.
            return oneLine(s.getStatus().getCode() == Status.Code.UNAVAILABLE ? description
                    : s.getStatus().getCode() + ": " + description);
        }
        if (inUse(e)) {
            return oneLine(messageOf(e) + ": address already in use (another process listens there; choose another"
                    + " port, or 0 for any free one)");
        }
        if (e instanceof NoSuchFileException f) {
            return oneLine(f.getFile() + ": no such file or directory");
        }
        if (e instanceof NotDirectoryException f) {
            return oneLine(f.getFile() + ": not a directory");
        }
        if (e instanceof FileAlreadyExistsException f) {
            return oneLine(f.getFile() + ": already exists");
        }
        if (e instanceof AccessDeniedException f) {
            return oneLine(f.getFile() + ": permission denied");
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (raise -Xmx through ESCOPE_JAVA_OPTS)";
        }
        return oneLine(messageOf(e));
    }

    private static String messageOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** A bind that failed because the port is taken (Netty's native transport says so in its own exception type). */
    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Line breaks become "; " and other control characters spaces: an error is one line of plain text. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ").replaceAll("\\p{Cntrl}", " ");
    }

    private static String suggestions(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return " (did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?)";
        }
        return "";
    }

    /** "escope train", "escope cifar10c montage". */
    static String qualifiedName(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }

    private static void report(PrintWriter err, String line, Throwable e, boolean verbose) {
        err.flush();
        ProgressBar.endLine();
        err.println("escope: " + line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    static boolean verbose(List<String> args) {
        String env = System.getenv(DEBUG_ENV);
        if (env != null && (env.equals("1") || env.toLowerCase(Locale.ROOT).equals("true"))) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
