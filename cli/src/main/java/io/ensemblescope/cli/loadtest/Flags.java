package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.ModelRef;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of the command's values, each failing with a one-line message that names the flag. */
final class Flags {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("v\\d{1,9}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]{1,253}:\\d{1,5}");
    private static final int QUOTED = 128;

    private Flags() {}

    static List<Integer> ints(String flag, List<Integer> values, int min, int max) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(flag + ": give at least one value");
        }
        for (int v : values) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: each value must be in [%d, %d],"
                        + " got %d", flag, min, max, v));
            }
        }
        return List.copyOf(values);
    }

    static int inRange(String flag, int v, int min, int max) {
        return ints(flag, List.of(v), min, max).get(0);
    }

    static List<Double> rates(String flag, List<Double> values, double max) {
        for (double v : values) {
            if (!(v > 0 && v <= max)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: each rate must be in (0, %.0f]"
                        + " requests/s, got %s", flag, max, v));
            }
        }
        return List.copyOf(values);
    }

    /** Seconds as nanoseconds, {@code min <= s <= max}. */
    static long seconds(String flag, double s, double min, double max) {
        if (!(s >= min && s <= max)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: must be in [%s, %s] seconds, got %s",
                    flag, min, max, s));
        }
        return Math.round(s * 1e9);
    }

    /** One of an enum's constants, case-insensitively. */
    static <E extends Enum<E>> E choice(String flag, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(flag + ": expected one of " + java.util.Arrays.stream(
                type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", got "
                + quote(value));
    }

    /** "host:port" of a running service. */
    static String target(String flag, String value) {
        if (value == null || !HOST_PORT.matcher(value).matches()
                || Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)) > 65_535) {
            throw new IllegalArgumentException(flag + ": expected host:port, got " + quote(value));
        }
        return value;
    }

    /** "name" or "name:version" (e.g. "mnist-single-k1-s1-0123456789:v2"). */
    static ModelRef model(String flag, String value) {
        String[] parts = value.split(":", 2);
        if (!NAME.matcher(parts[0]).matches() || (parts.length == 2 && !VERSION.matcher(parts[1]).matches())) {
            throw new IllegalArgumentException(flag + ": expected NAME or NAME:vN (letters, digits, '.', '_', '-'),"
                    + " got " + quote(value));
        }
        return ModelRef.newBuilder().setName(parts[0]).setVersion(parts.length == 2 ? parts[1] : "").build();
    }

    /** The value in quotes, cut to its first 128 characters. */
    static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > QUOTED ? value.substring(0, QUOTED) + "…" : value) + "'";
    }
}
