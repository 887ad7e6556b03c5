package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;

import io.ensemblescope.cli.monitoring.Profiling;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.inference.monitoring.ImageTraffic;
import io.ensemblescope.inference.monitoring.ReferenceProfile;
import io.ensemblescope.inference.monitoring.ServedStatistic;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escope profile}: a checkpoint's reference profile for drift monitoring — the served statistics (predictive
 * entropy, mutual information, disagreement, max probability) on its in-distribution evaluation split, written as
 * reference-profile.json beside the checkpoint's manifest.
 */
@Command(name = "profile", description = {"Write a checkpoint's reference profile for drift monitoring.",
            "Serves the model's in-distribution test split (by default the dataset it was trained on) through an"
                    + " inference service of its own, takes the per-sample predictive entropy, mutual information,"
                    + " member disagreement and max probability, and writes reference-profile.json atomically beside"
                    + " the checkpoint's manifest (the checkpoint's verified files are not touched). Inference"
                    + " servers read it when they load the model: load it again where it is already loaded."},
        footer = {"", "Example: escope profile mnist-batch-ensemble-k4-s1 --stride 2   (every other test image,"
                + " leaving the rest as held-out traffic)"})
final class ProfileCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Model as NAME or NAME:VERSION (default version: the latest).")
    String model;

    @Option(names = "--store", description = "Checkpoint store (default: $ESCOPE_STORE, else"
            + " ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--dataset", description = "In-distribution dataset whose test split is profiled (default: the"
            + " dataset the checkpoint was trained on).")
    String dataset;

    @Option(names = "--limit", description = "Test images to take, 0 for all (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--start", description = "First image (default ${DEFAULT-VALUE}).")
    int start;

    @Option(names = "--stride", description = "Take every N-th image from --start (default ${DEFAULT-VALUE}).")
    int stride = 1;

    @Option(names = "--batch", description = "Images per inference request (default ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Override
    public Integer call() throws Exception {
        Values.range("--batch", batch, 1, 4096);
        String[] parts = model.split(":", 2);
        CheckpointStore checkpoints = new CheckpointStore(Defaults.store(store));
        Manifest m = checkpoints.manifest(parts[0], parts.length > 1 ? parts[1] : "");
        String name = dataset != null ? dataset : String.valueOf(m.dataset().getOrDefault("name", "mnist"));
        ImageDataset data = DatasetCatalog.shared().load(new DatasetRequest(name, Subset.TEST, 0, limit, "", null,
                0));
        if (stride != 1 || start != 0) {
            data = ImageTraffic.strided(data, start, stride);
        }
        String description = String.format(Locale.ROOT, "%s test, %d images (every %d from %d)", name, data.size(),
                stride, start);
        Profiling.Written w = Profiling.take(checkpoints, m, data, description, batch, device);
        System.out.println(summary(w));
        return 0;
    }

    /** Where the profile went and each statistic's median and 95th percentile. */
    static String summary(Profiling.Written w) {
        ReferenceProfile p = w.profile();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s/%s: %d samples of %s%n%s%n",
                p.model(), p.version(), p.samples(), p.dataset(), w.file()));
        out.append(String.format(Locale.ROOT, "%-20s %10s %10s%n", "statistic", "median", "p95"));
        for (ServedStatistic s : ServedStatistic.values()) {
            double[] q = p.of(s).quantiles();
            out.append(String.format(Locale.ROOT, "%-20s %10.4f %10.4f%n", s.label(), q[q.length / 2],
                    q[(int) (q.length * 0.95)]));
        }
        return out.toString().stripTrailing();
    }
}
