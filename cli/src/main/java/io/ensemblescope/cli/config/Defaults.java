package io.ensemblescope.cli.config;

import io.ensemblescope.rpc.StoreOption;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI's client commands keep things unless told otherwise. Services take no such default (StoreOption):
 * this one is for a person's own machine, and is refused where there is no home directory (a container's user).
 */
public final class Defaults {
    private Defaults() {}

    /** {@code explicit} if given, else {@code $ESCOPE_STORE}, else {@code ~/.cache/ensemblescope/checkpoints}. */
    public static Path store(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        return StoreOption.fromEnvironment(System::getenv).orElseGet(() -> {
            Path home = Path.of(System.getProperty("user.home", "?"));
            if (!home.isAbsolute() || !Files.isDirectory(home)) {
                throw new IllegalArgumentException("no checkpoint store: pass --store DIR or set "
                        + StoreOption.ENV + " (there is no home directory for the default)");
            }
            return home.resolve(".cache").resolve("ensemblescope").resolve("checkpoints");
        });
    }
}
