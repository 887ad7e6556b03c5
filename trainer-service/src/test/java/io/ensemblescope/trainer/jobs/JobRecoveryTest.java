package io.ensemblescope.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.trainer.executor.JobContext;
import io.ensemblescope.trainer.executor.LocalExecutor;
import io.ensemblescope.trainer.executor.TrainingExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs outlive the trainer process: a new trainer on the same store lists the finished jobs of earlier ones (and
 * never runs them again), reports their epochs, leaves interrupted ones for an explicit resume when told to, commits a
 * job's version once even when the previous process died between commit and marker, and clears what killed writers
 * left.
 */
class JobRecoveryTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();

    /** A trainer whose executor counts the jobs it trains (a recovered finished job must never reach it). */
    private static final class Trainer implements AutoCloseable {
        final AtomicInteger trained = new AtomicInteger();
        final JobManager jobs;

        Trainer(CheckpointStore store) {
            LocalExecutor local = new LocalExecutor(CATALOG, Device.cpu(), () -> false);
            TrainingExecutor counting = new TrainingExecutor() {
                @Override
                public String kind() {
                    return local.kind();
                }

                @Override
                public void train(JobContext job) throws Exception {
                    trained.incrementAndGet();
                    local.train(job);
                }
            };
            jobs = new JobManager(store, CATALOG, Map.of(ExecutorKind.LOCAL, counting), ExecutorKind.LOCAL, 1, 8,
                    Meters.newRegistry("recovery-test"));
        }

        /** Submits and waits for the job's terminal event. */
        TrainEvent run(TrainRequest request) throws Exception {
            CompletableFuture<TrainEvent> end = new CompletableFuture<>();
            jobs.submit(request, e -> {
                if (terminal(e)) {
                    end.complete(e);
                }
            });
            return end.get(180, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            jobs.close();
        }
    }

    private static boolean terminal(TrainEvent e) {
        return e.getKind() == TrainEvent.Kind.COMPLETED || e.getKind() == TrainEvent.Kind.FAILED
                || e.getKind() == TrainEvent.Kind.CANCELLED;
    }

    private static TrainRequest request(String model, int limit) {
        return TrainRequest.newBuilder().setModelName(model).setMethod(Method.SINGLE).setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(limit))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(2).setBatchSize(100).addSeeds(3).build();
    }

    private static Job job(List<Job> jobs, String id) {
        return jobs.stream().filter(j -> j.getJobId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void finishedJobsAreListedAfterARestartAndNeverRunAgain(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        String ok;
        String failed;
        try (Trainer first = new Trainer(store)) {
            TrainEvent done = first.run(request("ok", 600));
            assertEquals(TrainEvent.Kind.COMPLETED, done.getKind(), done.getMessage());
            ok = done.getJobId();
            TrainEvent broken = first.run(request("broken", 99_999_999));
            assertEquals(TrainEvent.Kind.FAILED, broken.getKind());
            failed = broken.getJobId();
        }
        Path damaged = Files.createDirectories(store.jobDir("job-damaged"));
        Files.writeString(damaged.resolve(StoreLayout.REQUEST), "{not json");
        try (Trainer second = new Trainer(store)) {
            assertEquals(List.of(), second.jobs.recover(true), "nothing was interrupted; a damaged record is skipped");
            List<Job> listed = second.jobs.list();
            assertEquals(2, listed.size(), listed.toString());
            Job succeeded = job(listed, ok);
            assertEquals(JobState.SUCCEEDED, succeeded.getState());
            assertEquals("v1", succeeded.getCheckpoint().getVersion());
            assertEquals(2, second.jobs.get(ok).getEpochsCompleted(), "epochs read back from the run's result");
            Job stillFailed = job(listed, failed);
            assertEquals(JobState.FAILED, stillFailed.getState());
            assertFalse(stillFailed.getError().isEmpty());
            assertEquals(0, second.trained.get(), "a finished or failed job is not trained again");
            assertEquals(1, store.list("ok").size());

            List<TrainEvent> replay = new CopyOnWriteArrayList<>();
            second.jobs.subscribe(ok, replay::add);
            assertEquals(TrainEvent.Kind.COMPLETED, replay.get(0).getKind(), "late subscribers learn the outcome");
            IllegalStateException ended = assertThrows(IllegalStateException.class, () -> second.jobs.submit(
                    TrainRequest.newBuilder().setResumeJobId(ok).build(), null));
            assertTrue(ended.getMessage().startsWith("resume_job_id: job " + ok + " has ended SUCCEEDED"),
                    ended.getMessage());
            assertThrows(NoSuchElementException.class, () -> second.jobs.submit(
                    TrainRequest.newBuilder().setResumeJobId("job-none").build(), null));
        }
    }

    @Test
    void anInterruptedJobWaitsForAnExplicitResumeAndCommitsItsVersionOnce(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        String id;
        try (Trainer first = new Trainer(store)) {
            TrainEvent done = first.run(request("once", 600));
            assertEquals(TrainEvent.Kind.COMPLETED, done.getKind(), done.getMessage());
            id = done.getJobId();
        }
        // What kill -9 right after the version's rename leaves: no COMMITTED marker; and of a killed record write
        // and a killed commit, their temp files.
        Path work = store.jobDir(id);
        Files.delete(work.resolve(StoreLayout.COMMITTED));
        Files.write(work.resolve("." + StoreLayout.COMMITTED + ".4f2a.tmp"), new byte[] {'o'});
        Path halfBuilt = Files.createDirectories(root.resolve("once").resolve(StoreLayout.COMMIT_TEMP_PREFIX + "x"));

        try (Trainer second = new Trainer(store)) {
            assertEquals(List.of(id), second.jobs.recover(false));
            assertFalse(Files.exists(halfBuilt), "half-built version removed");
            try (var left = Files.list(work)) {
                assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp files removed");
            }
            Job waiting = second.jobs.get(id);
            assertEquals(JobState.INTERRUPTED, waiting.getState());
            assertEquals(2, waiting.getEpochsCompleted());
            assertEquals(0, second.trained.get(), "not resumed without being asked");

            IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> second.jobs.submit(
                    request("other", 600).toBuilder().setResumeJobId(id).build(), null));
            assertTrue(other.getMessage().startsWith("resume_job_id:"), other.getMessage());

            List<TrainEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<TrainEvent> end = new CompletableFuture<>();
            second.jobs.submit(TrainRequest.newBuilder().setResumeJobId(id).build(), e -> {
                events.add(e);
                if (terminal(e)) {
                    end.complete(e);
                }
            });
            TrainEvent resumed = end.get(180, TimeUnit.SECONDS);
            assertEquals(TrainEvent.Kind.COMPLETED, resumed.getKind(), resumed.getMessage());
            assertTrue(events.get(0).getMessage().contains("resuming interrupted job " + id + " (model once) after "
                    + "epoch 2 of 2"), events.get(0).getMessage());
            assertEquals("v1", resumed.getCheckpoint().getVersion(), "the version it committed before, no duplicate");
            assertEquals(1, store.list("once").size());
            assertEquals(JobState.SUCCEEDED, second.jobs.get(id).getState());
            assertTrue(new RunFiles(StoreLayout.runDir(work, 0)).done());
        }
    }
}
