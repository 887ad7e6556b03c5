package io.ensemblescope.cli;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.corrupt.Cifar10CGenerator;
import io.ensemblescope.datasets.corrupt.Cifar10CRelease;
import io.ensemblescope.datasets.corrupt.Corruptions;
import io.ensemblescope.datasets.corrupt.GenerationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escope cifar10c generate}: regenerates CIFAR-10-C from the CIFAR-10 test set as .npy files. With
 * {@code --all-severities} the output is the released layout (each file 5·N images, severities 1..5 in blocks);
 * with one {@code --severity} (default 5) each file holds the N images of that severity.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write CIFAR-10-C .npy files (<corruption>.npy, labels.npy) regenerated from CIFAR-10 test.")
final class Cifar10CGenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @ArgGroup(exclusive = true)
    Severities severities = new Severities();

    static final class Severities {
        @Option(names = "--severity", description = "One severity 1..5: files of N images.")
        int severity = 5;

        @Option(names = "--all-severities", description = "Severities 1..5: the released layout of 5·N images.")
        boolean all;

        int[] list() {
            return all ? new int[] {1, 2, 3, 4, 5} : new int[] {severity};
        }
    }

    @Option(names = "--corruptions", split = ",", showDefaultValue = Visibility.NEVER,
            description = "Corruptions to write, e.g. fog,snow (default: the 15 of the benchmark).")
    List<String> corruptions = Corruptions.BENCHMARK;

    @Option(names = "--limit", defaultValue = "0", description = "First N test images only (0: all 10,000).")
    int limit;

    @Mixin
    Cifar10COptions options = new Cifar10COptions();

    @Option(names = "--threads", description = "Worker threads (default: the number of cores).",
            showDefaultValue = Visibility.NEVER)
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        Values.range("--limit", limit, 0, 10_000);
        Values.range("--threads", threads, 1, 256);
        if (!severities.all) {
            Values.range("--severity", severities.severity, 1, 5);
        }
        for (String c : corruptions) {
            try {
                Corruptions.requireKnown(c);
            } catch (java.util.NoSuchElementException e) {
                throw new IllegalArgumentException(new FieldFlags("corruption", "--corruptions").translate(
                        e.getMessage()), e);
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + Values.prefix(out) + " exists and is not a directory");
        }
        Path frost = options.frostDir();
        ImageDataset clean = DatasetCatalog.shared().load(new DatasetRequest("cifar10", Subset.TEST, 0, limit, "",
                null, 0));
        Cifar10CGenerator generator = new Cifar10CGenerator(frost, threads);
        long start = System.nanoTime();
        GenerationReport report = Cifar10CRelease.write(generator, clean, out, corruptions, severities.list(),
                options.seed);
        System.out.printf("wrote %d corruptions × %d severities × %d images to %s in %.1f s%n",
                report.generated().size(), severities.list().length, clean.size(), out,
                (System.nanoTime() - start) / 1e9);
        report.skipped().forEach((name, why) -> System.out.println("skipped " + name + ": " + why));
        return 0;
    }
}
