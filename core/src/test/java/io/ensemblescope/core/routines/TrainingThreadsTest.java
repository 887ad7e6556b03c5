package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingThreadsTest {
    private static final TrainConfig ADAM_128 = new TrainConfig(
            new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3f, 0f, false, 0f), new int[0], 1f, 1, 128, 0,
            false, false);

    private static NetworkSpec spec(String architecture, Method method, int members) {
        return new NetworkSpec(architecture, method, members, 0.1f, 4, null);
    }

    @Test
    void theMlpStepsAreSmallAndResNet20StepsAreNot() {
        double single = TrainingThreads.stepForwardFlops(spec(MnistMlp.NAME, Method.SINGLE, 1), 10, ADAM_128);
        double member = TrainingThreads.stepForwardFlops(spec(MnistMlp.NAME, Method.DEEP_ENSEMBLE, 4), 10, ADAM_128);
        double tiled = TrainingThreads.stepForwardFlops(spec(MnistMlp.NAME, Method.BATCH_ENSEMBLE, 4), 10, ADAM_128);
        TrainConfig split = new TrainConfig(ADAM_128.optimizer(), new int[0], 1f, 1, 128, 0, true, false);
        double sliced = TrainingThreads.stepForwardFlops(spec(MnistMlp.NAME, Method.BATCH_ENSEMBLE, 4), 10, split);
        double resnet = TrainingThreads.stepForwardFlops(spec("resnet20", Method.SINGLE, 1), 10, ADAM_128);

        assertEquals(single, member, 0, "a Deep-Ensemble run trains one member");
        assertTrue(tiled > 4 * single, "a tiled BatchEnsemble step passes every row through its k members");
        assertEquals(tiled / 4, sliced, 1e-6 * tiled, "a split batch gives each member a quarter of the rows");
        assertTrue(tiled < TrainingThreads.SMALL_STEP_FLOPS, "MLP BatchEnsemble: " + tiled);
        assertTrue(resnet >= TrainingThreads.SMALL_STEP_FLOPS, "ResNet-20: " + resnet);
        assertEquals(1, TrainingThreads.forStep(tiled, 2));
        assertEquals(2, TrainingThreads.forStep(resnet, 2));
    }

    @Test
    void aSmallRunTrainsOnOneThreadAndGivesTheCallerItsCountBack(@TempDir Path dir) throws Exception {
        TrainingData data = TrainingData.holdOut(DatasetCatalog.shared().load(
                new DatasetRequest("mnist", Subset.TRAIN, 0, 1_500, "", null, 0)), 0.2);
        List<Integer> during = new ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override
            public void onStep(int run, StepProgress progress) {
                during.add(JniUtils.getNumThreads());
            }
        };
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2);
        try {
            RunTrainer.Run run = new RunTrainer.Run(spec(MnistMlp.NAME, Method.SINGLE, 1), 5L, data.train(),
                    data.validation(), ADAM_128, new RunFiles(dir));
            RunTrainer.train(run, Device.cpu(), 0, listener, RunControl.NONE);

            assertFalse(during.isEmpty());
            assertTrue(during.stream().allMatch(n -> n == 1), "intra-op threads during training: " + during);
            assertEquals(2, JniUtils.getNumThreads(), "the caller's own setting after the run");
        } finally {
            JniUtils.setNumThreads(before); // later tests in this fork run on this thread
        }
    }
}
