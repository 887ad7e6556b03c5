package io.ensemblescope.cli;

import java.nio.file.Path;

/** Where the CLI keeps things unless told otherwise. */
public final class Defaults {
    private Defaults() {}

    /** The checkpoint store: {@code $ESCOPE_STORE}, else {@code ~/.cache/ensemblescope/checkpoints}. */
    public static Path store() {
        String env = System.getenv("ESCOPE_STORE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "ensemblescope", "checkpoints");
    }
}
