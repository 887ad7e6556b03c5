package io.ensemblescope.cli;

import ai.djl.Device;
import ai.djl.util.Utils;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput per method: the MNIST MLP on MNIST and the small CIFAR ResNet (ResNet-20) on CIFAR-10, k = 4.
 * Prints a Markdown table for docs/BENCHMARKS.md; "wall s" is the whole method (every run, validation, setup).
 */
@Command(name = "training", description = "Measure training images/s per method and architecture.")
final class TrainingBenchCommand implements Callable<Integer> {
    static final int MNIST_TRAIN = 60_000;
    static final int CIFAR_TRAIN = 50_000;
    /** A tenth of the images is held out for validation, so the fewest that leave both sides non-empty. */
    static final int MIN_IMAGES = 10;

    @Option(names = "--mnist-images", description = "MNIST images per run, a tenth of them held out for validation"
            + " (" + MIN_IMAGES + ".." + MNIST_TRAIN + ").")
    int mnistImages = 10_000;

    @Option(names = "--cifar-images", description = "CIFAR-10 images per run, a tenth held out (0 skips ResNet-20,"
            + " else " + MIN_IMAGES + ".." + CIFAR_TRAIN + ").")
    int cifarImages = 1_000;

    @Option(names = "--epochs", description = "Epochs per run (the first warms up; the last is reported), 1..100.")
    int epochs = 2;

    @Option(names = "--members", description = "k for Deep Ensemble and BatchEnsemble (2..16).")
    int members = 4;

    @Override
    public Integer call() throws Exception {
        Values.range("--mnist-images", mnistImages, MIN_IMAGES, MNIST_TRAIN);
        if (cifarImages != 0) {
            Values.range("--cifar-images", cifarImages, MIN_IMAGES, CIFAR_TRAIN);
        }
        Values.range("--epochs", epochs, 1, 100);
        Values.range("--members", members, 2, 16);
        System.out.println("| architecture | method | k | images/s per run | ensemble images/s | epoch s | wall s |");
        System.out.println("|---|---|---|---|---|---|---|");
        bench("mnist-mlp", "mnist", mnistImages, 128, OptimizerConfig.adam(1e-3f, 1e-4f), false);
        if (cifarImages > 0) {
            bench("resnet20", "cifar10", cifarImages, 128,
                    new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.05f, 0.9f, true, 5e-4f), true);
        }
        return 0;
    }

    private void bench(String arch, String dataset, int images, int batch, OptimizerConfig opt, boolean augment)
            throws Exception {
        ImageDataset all = DatasetCatalog.shared().load(new DatasetRequest(dataset, Subset.TRAIN, 0, images, "",
                null, 0));
        int validation = images / 10;
        TrainingData data = new TrainingData(all.slice(0, images - validation), all.slice(images - validation,
                validation));
        for (Method method : Method.values()) {
            int k = method.isEnsemble() ? members : 1;
            NetworkSpec spec = new NetworkSpec(arch, method, k, 0.1f, 8, null);
            TrainConfig cfg = new TrainConfig(opt, new int[0], 1f, epochs, batch, 0, false, augment);
            JobSpec job = new JobSpec("bench", spec, cfg, Map.of("name", dataset), 0.1,
                    JobSpec.expandSeeds(List.of(1L), spec.replicas()));
            Path work = Files.createTempDirectory("escope-bench");
            long start = System.nanoTime();
            List<RunResult> runs;
            try {
                runs = LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
            } finally {
                Utils.deleteQuietly(work); // snapshots of a benchmark are not kept
            }
            double wall = (System.nanoTime() - start) / 1e9;
            var last = runs.get(0).history().get(epochs - 1);
            double perRun = runs.stream().mapToDouble(r -> r.history().get(epochs - 1).imagesPerSecond())
                    .average().orElse(0);
            // The ensemble has seen every training image once per epoch when all its runs have.
            double ensemble = perRun / runs.size();
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.2f | %.1f |%n", arch, method, k, perRun,
                    ensemble, last.seconds(), wall);
            System.err.printf(Locale.ROOT, "%s %s done in %.1f s%n", arch, method, wall);
        }
    }
}
