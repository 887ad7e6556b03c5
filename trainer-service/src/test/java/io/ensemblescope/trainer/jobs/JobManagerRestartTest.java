package io.ensemblescope.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.trainer.executor.LocalExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown snapshots a running job at a step boundary, and the next trainer on the same store resumes it
 * to a checkpoint with every epoch accounted for.
 */
class JobManagerRestartTest {

    private static JobManager manager(CheckpointStore store, JobManager[] self, int parallelMembers) {
        DatasetCatalog catalog = DatasetCatalog.shared();
        JobManager m = new JobManager(store, catalog, Map.of(ExecutorKind.LOCAL, new LocalExecutor(catalog,
                Device.cpu(), () -> self[0] != null && self[0].shuttingDown(), parallelMembers)), ExecutorKind.LOCAL,
                1, 4, Meters.newRegistry("restart-test"));
        self[0] = m;
        return m;
    }

    /** Members in this process one after another (1), or as two parallel child processes (2). */
    @ParameterizedTest(name = "parallel members {0}")
    @ValueSource(ints = {1, 2})
    void aJobInterruptedByShutdownResumesInTheNextTrainer(int parallel, @TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        TrainRequest request = TrainRequest.newBuilder().setModelName("restart").setMethod(Method.DEEP_ENSEMBLE)
                .setMembers(2).setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(4_000))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(3).setBatchSize(100).addSeeds(9).build();

        JobManager[] first = new JobManager[1];
        List<TrainEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> firstEpoch = new CompletableFuture<>();
        CompletableFuture<TrainEvent> end = new CompletableFuture<>();
        String id = manager(store, first, parallel).submit(request, e -> {
            events.add(e);
            if (e.getKind() == TrainEvent.Kind.EPOCH) {
                firstEpoch.complete(null);
            }
            if (e.getKind() == TrainEvent.Kind.CANCELLED || e.getKind() == TrainEvent.Kind.COMPLETED
                    || e.getKind() == TrainEvent.Kind.FAILED) {
                end.complete(e);
            }
        }).getJobId();
        firstEpoch.get(120, TimeUnit.SECONDS);
        first[0].close(); // what the server's before-stop hook does
        TrainEvent stopped = end.get(60, TimeUnit.SECONDS);
        assertEquals(TrainEvent.Kind.CANCELLED, stopped.getKind(), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("resumes"), stopped.getMessage());
        assertEquals(JobState.INTERRUPTED, first[0].get(id).getState());
        assertTrue(store.list("restart").isEmpty(), "no checkpoint yet");

        JobManager[] second = new JobManager[1];
        try (JobManager next = manager(store, second, parallel)) {
            assertEquals(List.of(id), next.recover(true));
            CompletableFuture<TrainEvent> done = new CompletableFuture<>();
            List<TrainEvent> resumedEvents = new CopyOnWriteArrayList<>();
            next.subscribe(id, e -> {
                resumedEvents.add(e);
                if (e.getKind() == TrainEvent.Kind.COMPLETED || e.getKind() == TrainEvent.Kind.FAILED) {
                    done.complete(e);
                }
            });
            TrainEvent completed = done.get(300, TimeUnit.SECONDS);
            assertEquals(TrainEvent.Kind.COMPLETED, completed.getKind(), completed.getMessage());
            Manifest m = store.manifest("restart", "");
            assertEquals(2, m.history().size(), "both members");
            for (var run : m.history()) {
                assertEquals(List.of(1, 2, 3), run.stream().map(r -> r.epoch()).toList(), "no epoch lost or repeated");
            }
            TrainEvent started = resumedEvents.get(0);
            assertEquals(TrainEvent.Kind.STARTED, started.getKind());
            assertTrue(started.getMessage().contains("resuming interrupted job " + id), started.getMessage());
            assertTrue(started.getMessage().contains("after epoch "), "the epoch it continues from is announced");
            assertTrue(next.recover(true).isEmpty(), "a committed job is not resumed again");
            if (parallel > 1) {
                for (int i = 0; i < 2; i++) {
                    assertTrue(java.nio.file.Files.exists(store.jobDir(id).resolve("run-" + i).resolve("log.txt")),
                            "member " + i + " ran as its own process");
                }
            }
        }
    }
}
