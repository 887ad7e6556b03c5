package io.ensemblescope.cli;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.corrupt.GenerationReport;
import io.ensemblescope.datasets.corrupt.Montage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code escope cifar10c montage}: one CIFAR-10 test image, clean and under every corruption, as a PNG grid. */
@Command(name = "montage", mixinStandardHelpOptions = true,
        description = "Write a PNG of one CIFAR-10 test image clean and under every corruption at one severity.")
final class Cifar10CMontageCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, description = "Index of the CIFAR-10 test image (0..9999).")
    Integer index;

    @Option(names = "--severity", defaultValue = "5", description = "Severity 1..5.")
    int severity;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Mixin
    Cifar10COptions options = new Cifar10COptions();

    @Override
    public Integer call() throws Exception {
        Values.range("--index", index, 0, 9_999);
        Values.range("--severity", severity, 1, 5);
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + Values.prefix(out) + " is a directory; name the PNG file");
        }
        Path frost = options.frostDir();
        var image = DatasetCatalog.shared().load(new DatasetRequest("cifar10", Subset.TEST, index, 1, "", null, 0));
        GenerationReport report = Montage.write(image, 0, severity, frost, out, options.seed);
        System.out.printf("wrote %s: test image %d clean and under %d corruptions at severity %d%n", out, index,
                report.generated().size(), severity);
        report.skipped().forEach((name, why) -> System.out.println("skipped " + name + ": " + why));
        return 0;
    }
}
