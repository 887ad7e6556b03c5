package io.ensemblescope.rpc;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The checkpoint store every service opens: {@code --store}, else the environment variable {@value #ENV}, as a picocli
 * mixin shared by {@code escope serve …} and the server mains. There is no fallback to a home directory: a pod's user
 * has none (Java reports {@code user.home} as {@code ?}), and a store there is lost with the container. A store that is
 * missing or unusable is a one-line error naming the flag and the variable.
 */
public final class StoreOption {
    /** The environment variable naming the checkpoint store when {@code --store} is absent. */
    public static final String ENV = "ESCOPE_STORE";
    static final String FLAG = "--store";
    private static final String NAMES = FLAG + " (or " + ENV + ")";

    @Option(names = FLAG, paramLabel = "DIR", description = "Checkpoint store root (default: $" + ENV + ").")
    Path store;

    private final UnaryOperator<String> env;

    public StoreOption() {
        this(System::getenv);
    }

    /** For tests: reads the environment through {@code env}. */
    StoreOption(UnaryOperator<String> env) {
        this.env = env;
    }

    /** The store named by {@value #ENV} in {@code env}, if any. */
    public static Optional<Path> fromEnvironment(UnaryOperator<String> env) {
        String value = env.apply(ENV);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value.trim()));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(ENV + " is not a path: " + Statuses.prefix(value), e);
        }
    }

    /** Uses {@code dir} as if {@code --store} had named it. */
    public StoreOption with(Path dir) {
        this.store = dir;
        return this;
    }

    /**
     * The store for a service that writes (the trainer): created if absent, and proven writable by creating and
     * deleting a file in it.
     */
    public Path writable() {
        Path dir = named();
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".probe-", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(NAMES + ": " + dir + " is not a writable directory (" + reason(e) + ")",
                    e);
        }
        return dir;
    }

    /**
     * The store for a service that only reads (inference, metrics; the chart mounts it read-only there): an existing
     * directory, or a path whose parent exists, since the trainer creates the store on the shared volume when it
     * first starts and readers see an absent store as empty.
     */
    public Path readable() {
        Path dir = named();
        Path parent = dir.toAbsolutePath().getParent();
        if (Files.isDirectory(dir) ? !Files.isReadable(dir)
                : Files.exists(dir) || parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(NAMES + ": " + dir + (Files.exists(dir)
                    ? " is not a readable directory" : " does not exist, nor does its parent directory"));
        }
        return dir;
    }

    private Path named() {
        if (store != null) {
            return store;
        }
        return fromEnvironment(env).orElseThrow(() -> new IllegalArgumentException(
                "no checkpoint store: pass " + FLAG + " DIR or set " + ENV));
    }


    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName();
    }
}
