package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each method trained briefly (20k images, 3 epochs) on a real MNIST slice reaches at least 90% test accuracy. */
class MnistTrainingTest {
    private static TrainingData data;
    private static ImageDataset test;

    @BeforeAll
    static void load() {
        DatasetCatalog catalog = DatasetCatalog.shared();
        ImageDataset train = catalog.load(new DatasetRequest("mnist", Subset.TRAIN, 0, 20_000, "", null, 0));
        data = TrainingData.holdOut(train, 0.1);
        test = catalog.load(new DatasetRequest("mnist", Subset.TEST, 0, 2_000, "", null, 0));
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void eachMethodLearnsMnist(Method method, @TempDir Path root) throws Exception {
        int k = method.isEnsemble() ? 4 : 1;
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, method, k, 0.05f, 8,
                method == Method.BATCH_ENSEMBLE ? BatchEnsembleOptions.defaults(k) : null);
        TrainConfig config = new TrainConfig(OptimizerConfig.adam(3e-3f, 1e-4f), new int[0], 1f, 3, 128, 0,
                false, false);
        JobSpec job = new JobSpec("mnist-" + method.name().toLowerCase(), spec, config, Map.of("name", "mnist"),
                0.1, JobSpec.expandSeeds(List.of(7L), spec.replicas()));
        CheckpointStore store = new CheckpointStore(root);
        Path work = store.jobDir("job-" + method.name().toLowerCase());
        List<RunResult> runs = LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
        assertEquals(spec.replicas(), runs.size());
        Manifest manifest = CheckpointAssembler.assemble(store, job, data, work);
        try (EnsembleNetwork net = store.load(store.manifest(manifest.name(), ""), Device.cpu())) {
            double accuracy = Evaluation.accuracy(net, test);
            assertTrue(accuracy >= 0.90, method + " test accuracy " + accuracy);
        }
    }
}
