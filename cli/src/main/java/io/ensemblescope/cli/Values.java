package io.ensemblescope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks of user-supplied values that several commands share, and how such values appear in messages: quoted, at
 * most a short prefix. Every check throws an IllegalArgumentException that starts with the flag (a usage error).
 */
public final class Values {
    static final int MAX_QUOTED = 128;
    /** host:port, [v6]:port, or a gRPC target URI such as dns:///host:port. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern TARGET_URI = Pattern.compile("[a-z][a-z0-9+.-]*:/.+");
    private static final Pattern DEVICE = Pattern.compile("(?i)auto|cpu|gpu(:\\d{1,3})?");

    private Values() {}

    /**
     * Checks a {@code --device} value's form before any work (whether the GPU exists is known once the engine is
     * loaded): auto, cpu, gpu or gpu:N.
     */
    public static String device(String flag, String value) {
        if (value == null || !DEVICE.matcher(value.strip()).matches()) {
            throw new IllegalArgumentException(flag + " must be auto, cpu, gpu or gpu:N, got '" + prefix(value) + "'");
        }
        return value;
    }

    /**
     * Checks a service address before any work: {@code host:port} with a port in 1..65535, or a gRPC target URI.
     * Null (not given) passes.
     */
    public static String hostPort(String flag, String target) {
        if (target == null || TARGET_URI.matcher(target).matches()) {
            return target;
        }
        var m = HOST_PORT.matcher(target);
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65_535) {
            throw new IllegalArgumentException(flag + " must be host:port (port 1..65535), got '" + prefix(target)
                    + "'");
        }
        return target;
    }

    /** Checks that {@code value} is one of {@code accepted}, listing them when it is not. */
    public static String oneOf(String flag, String value, java.util.List<String> accepted) {
        if (!accepted.contains(value)) {
            throw new IllegalArgumentException(flag + " must be " + String.join(", ", accepted.subList(0,
                    accepted.size() - 1)) + " or " + accepted.get(accepted.size() - 1) + ", got '" + prefix(value)
                    + "'");
        }
        return value;
    }

    /** Checks that {@code value} is in {@code min..max}. */
    public static int range(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /**
     * Checks an output directory before any work: absent, or an empty directory. Reports are never written over
     * an earlier one, whose plots would otherwise stay beside the new report.
     */
    public static Path newDirectory(String flag, Path dir) {
        if (!Files.exists(dir)) {
            return dir;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + prefix(dir) + " exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(flag + " " + prefix(dir) + " is not empty: name a new directory"
                        + " (an earlier report is never written over)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + prefix(dir) + " cannot be read: " + e.getMessage(), e);
        }
        return dir;
    }

    /** Checks that {@code dir} is an existing directory. */
    public static Path existingDirectory(String flag, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + prefix(dir)
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        return dir;
    }

    /** At most {@value #MAX_QUOTED} characters of {@code value}, control characters replaced. */
    public static String prefix(Object value) {
        String s = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "…";
    }
}
