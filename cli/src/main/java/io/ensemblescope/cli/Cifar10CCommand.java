package io.ensemblescope.cli;

import picocli.CommandLine.Command;

/** CIFAR-10-C regeneration from the CIFAR-10 test set: a montage to eyeball, or the .npy files of the release. */
@Command(name = "cifar10c", description = "Regenerate CIFAR-10-C corruptions.",
        subcommands = {Cifar10CMontageCommand.class, Cifar10CGenerateCommand.class})
final class Cifar10CCommand {}
