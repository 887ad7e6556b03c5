package io.ensemblescope.trainer.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.trainer.jobs.JobManager;
import io.ensemblescope.trainer.request.TrainRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With child JVMs allowed, a Deep Ensemble's members train as child processes only when each member's training is
 * worth a JVM's start ({@link LocalExecutor#MIN_CHILD_TRAINING_FLOPS}); smaller ones one after another in the trainer.
 */
class MemberPlacementTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();

    private static TrainRequest deepEnsemble(int images, int epochs) {
        return ensemble(Method.DEEP_ENSEMBLE, images, epochs);
    }

    private static TrainRequest ensemble(Method method, int images, int epochs) {
        return TrainRequest.newBuilder().setModelName("placed").setMethod(method).setMembers(2)
                .setArchitecture("mnist-mlp").setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(images))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setValidationFraction(0.1f).setEpochs(epochs).setBatchSize(100).addSeeds(3).build();
    }

    private static double memberFlops(TrainRequest request) {
        JobSpec spec = TrainRequests.toJobSpec(request, CATALOG);
        TrainingData data = TrainingData.holdOut(CATALOG.load(TrainRequests.dataset(request.getDataset(), CATALOG)),
                spec.validationFraction());
        return LocalExecutor.memberTrainingFlops(spec, data);
    }

    @Test
    void quickStudyMembersStayInProcessAndFullStudyMembersGetChildren() {
        // The quick MNIST study (12,000 images, 5 epochs) and the full one (all 60,000, 10 epochs).
        double quick = memberFlops(deepEnsemble(12_000, 5));
        double full = memberFlops(deepEnsemble(0, 10));
        assertTrue(quick < LocalExecutor.MIN_CHILD_TRAINING_FLOPS, "quick: " + quick);
        assertTrue(full >= LocalExecutor.MIN_CHILD_TRAINING_FLOPS, "full: " + full);
        assertEquals(10.0, full / quick, 1e-9, "FLOPs scale with images × epochs (60,000 × 10 vs 12,000 × 5)");
        // A BatchEnsemble run trains its 2 members in one forward: about twice a Deep-Ensemble member's work.
        double batchEnsemble = memberFlops(ensemble(Method.BATCH_ENSEMBLE, 12_000, 5));
        assertTrue(batchEnsemble > 1.9 * quick, batchEnsemble + " vs " + quick);
    }

    @Test
    void membersBelowTheThresholdTrainInTheTrainerAndAboveItInChildren(@TempDir Path root) throws Exception {
        TrainRequest small = deepEnsemble(600, 1);
        double flops = memberFlops(small);
        assertFalse(ranAsChildren(root.resolve("in-process"), small, flops * 2), "below the threshold");
        assertTrue(ranAsChildren(root.resolve("children"), small, flops / 2), "above the threshold");
    }

    /** Trains {@code request} with children allowed (2 at once) above {@code minChildFlops}; whether they ran. */
    private static boolean ranAsChildren(Path root, TrainRequest request, double minChildFlops) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        CompletableFuture<TrainEvent> end = new CompletableFuture<>();
        try (JobManager manager = new JobManager(store, CATALOG, Map.of(ExecutorKind.LOCAL, new LocalExecutor(
                CATALOG, Device.cpu(), () -> false, 2, minChildFlops)), ExecutorKind.LOCAL, 1, 4,
                Meters.newRegistry("placement-test"))) {
            String id = manager.submit(request, e -> {
                if (e.getKind() == TrainEvent.Kind.COMPLETED || e.getKind() == TrainEvent.Kind.FAILED
                        || e.getKind() == TrainEvent.Kind.CANCELLED) {
                    end.complete(e);
                }
            }).getJobId();
            TrainEvent done = end.get(120, TimeUnit.SECONDS);
            assertEquals(TrainEvent.Kind.COMPLETED, done.getKind(), done.getMessage());
            assertEquals(2, store.manifest("placed", "").history().size(), "both members trained");
            // A child's output goes to its run's log.txt; runs trained in the trainer have none.
            boolean first = Files.exists(store.jobDir(id).resolve("run-0").resolve("log.txt"));
            assertEquals(first, Files.exists(store.jobDir(id).resolve("run-1").resolve("log.txt")));
            return first;
        }
    }
}
