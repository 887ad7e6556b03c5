package io.ensemblescope.cli;

import io.ensemblescope.core.data.corrupt.FrostDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** CIFAR-10-C regeneration from the CIFAR-10 test set: a montage to eyeball, or the .npy files of the release. */
@Command(name = "cifar10c", description = "Regenerate CIFAR-10-C corruptions.",
        subcommands = {Cifar10CMontageCommand.class, Cifar10CGenerateCommand.class})
final class Cifar10CCommand {
    /** --frost-dir when given, else where {@link FrostDirectory} finds the textures, else null (frost skipped). */
    static Path frostDir(Path option) {
        return option != null ? option : FrostDirectory.locate().orElse(null);
    }
}
