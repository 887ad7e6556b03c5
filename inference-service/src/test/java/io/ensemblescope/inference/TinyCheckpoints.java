package io.ensemblescope.inference;

import ai.djl.Device;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Real checkpoints of every method, trained once per JVM by the trainer code on 2,000 MNIST images for one epoch
 * (accuracy is beside the point; realness is not): "single", "mc" (T = 4 by default), "de" (k = 2), "be" (k = 4).
 * "be" has two versions, v1 and v2, for hot swaps.
 */
public final class TinyCheckpoints {
    public static final String SINGLE = "single";
    public static final String MC = "mc";
    public static final String DE = "de";
    public static final String BE = "be";
    public static final int MC_DEFAULT_T = 4;

    private static CheckpointStore store;
    private static ImageDataset test;

    private TinyCheckpoints() {}

    public static synchronized CheckpointStore store() {
        if (store == null) {
            try {
                Path root = Files.createTempDirectory("escope-inference-ckpt");
                CheckpointStore s = new CheckpointStore(root);
                TrainingData data = trainingSlice();
                train(s, data, SINGLE, Method.SINGLE, 1, 1);
                train(s, data, MC, Method.MC_DROPOUT, 1, 1);
                train(s, data, DE, Method.DEEP_ENSEMBLE, 2, 1);
                train(s, data, BE, Method.BATCH_ENSEMBLE, 4, 2);
                store = s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return store;
    }

    /** Real MNIST test images for requests. */
    public static synchronized ImageDataset testImages() {
        if (test == null) {
            test = DatasetCatalog.shared().load(new DatasetRequest("mnist", Subset.TEST, 0, 512, "", null, 0));
        }
        return test;
    }

    /** 2,000 MNIST training images with 10% held out, as the tiny checkpoints use. */
    public static TrainingData trainingSlice() {
        return TrainingData.holdOut(DatasetCatalog.shared().load(new DatasetRequest("mnist", Subset.TRAIN, 0,
                2_000, "", null, 0)), 0.1);
    }

    /** Trains one MNIST-MLP model of {@code method} (k members) for one epoch and commits {@code versions}. */
    public static void train(CheckpointStore s, TrainingData data, String name, Method method, int k, int versions)
            throws IOException {
        train(s, data, name, method, k, versions, 1);
    }

    /** As above, for {@code epochs} epochs. */
    public static void train(CheckpointStore s, TrainingData data, String name, Method method, int k, int versions,
                             int epochs) throws IOException {
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, method, k, method == Method.MC_DROPOUT ? 0.2f : 0.05f,
                MC_DEFAULT_T, null);
        TrainConfig config = new TrainConfig(OptimizerConfig.adam(3e-3f, 1e-4f), new int[0], 1f, epochs, 128, 0,
                false, false);
        JobSpec job = new JobSpec(name, spec, config, Map.of("name", "mnist"), 0.1,
                JobSpec.expandSeeds(List.of(7L), spec.replicas()));
        Path work = s.jobDir("job-" + name);
        LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, io.ensemblescope.core.routines.RunControl.NONE);
        for (int v = 0; v < versions; v++) {
            CheckpointAssembler.assemble(s, job, data, work);
        }
    }
}
