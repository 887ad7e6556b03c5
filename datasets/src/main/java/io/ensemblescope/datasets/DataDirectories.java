package io.ensemblescope.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The data directories an operator configured on a server, by name: what a client's {@code DatasetSpec.path} may
 * name. A client never sends a path (a server once parsed any file a client named and returned the parser's error);
 * it names an entry, e.g. {@code svhn}, that the operator mapped to a directory with {@code --data-dir svhn=/data/svhn}
 * or {@code ESCOPE_DATA_DIRS=svhn=/data/svhn,…}.
 */
public final class DataDirectories {
    /** Environment variable holding {@code NAME=DIR} entries separated by commas. */
    public static final String ENV = "ESCOPE_DATA_DIRS";
    public static final DataDirectories NONE = new DataDirectories(Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, Path> entries;

    private DataDirectories(Map<String, Path> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Entries from {@code NAME=DIR} strings (operator input: a malformed one is an error naming it). */
    public static DataDirectories of(Iterable<String> specs) {
        Map<String, Path> entries = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? "" : spec.substring(0, eq).strip();
            if (!NAME.matcher(name).matches() || eq == spec.length() - 1) {
                throw new IllegalArgumentException("data directory entry '" + spec + "': expected NAME=DIR with NAME"
                        + " matching " + NAME.pattern());
            }
            entries.put(name, Path.of(spec.substring(eq + 1).strip()).toAbsolutePath().normalize());
        }
        return new DataDirectories(entries);
    }

    /** The entries of {@link #ENV} in {@code environment} (none when unset). */
    public static DataDirectories fromEnvironment(Function<String, String> environment) {
        String value = environment.apply(ENV);
        if (value == null || value.isBlank()) {
            return NONE;
        }
        return of(java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** These entries and {@code other}'s; other's win on equal names. */
    public DataDirectories with(DataDirectories other) {
        Map<String, Path> merged = new LinkedHashMap<>(entries);
        merged.putAll(other.entries);
        return new DataDirectories(merged);
    }

    /**
     * The directory a client's {@code dataset.path} names: empty for none (the catalog's own sources), the
     * configured directory for a configured name.
     *
     * @throws IllegalArgumentException naming dataset.path when the value is not a configured entry
     */
    public Optional<Path> resolve(String entry) {
        if (entry == null || entry.isEmpty()) {
            return Optional.empty();
        }
        Path dir = entries.get(entry);
        if (dir == null) {
            throw new IllegalArgumentException("dataset.path: names a data directory configured on this server"
                    + " (never a path); " + (entries.isEmpty() ? "none is configured"
                    : "configured: " + String.join(", ", entries.keySet())));
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("dataset.path: data directory '" + entry + "' is configured but missing"
                    + " on this server");
        }
        return Optional.of(dir);
    }

    public java.util.Set<String> names() {
        return entries.keySet();
    }
}
