package io.ensemblescope.cli;

import io.ensemblescope.datasets.corrupt.FrostDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every {@code escope cifar10c} command shares: where the frost textures are and the corruption seed. */
final class Cifar10COptions {
    @Option(names = "--frost-dir", description = "Directory with frost1.png … frost5.jpg (default: escope.frost.dir,"
            + " ESCOPE_FROST_DIR or ../shared/data/cifar10c-frost); frost is skipped without it.")
    Path frostDir;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random corruptions.")
    long seed;

    /**
     * --frost-dir when given (it must exist: a mistyped path is not "no textures"), else where
     * {@link FrostDirectory} finds the textures, else null (frost skipped).
     */
    Path frostDir() {
        return frostDir != null ? Values.existingDirectory("--frost-dir", frostDir)
                : FrostDirectory.locate().orElse(null);
    }
}
