package io.ensemblescope.trainer.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.store.StoreLayout;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a training member process (the RunMain child the local executor starts) in the middle of an epoch, then
 * a restart of it: the run resumes from its last snapshot and ends with the parameters, losses and accuracies of a
 * run that was never killed (trained in the test's JVM).
 */
class MemberKillTest {
    private static final int BATCH = 20;
    private static final long TIMEOUT_SECONDS = 300;

    @Test
    void aMemberKilledMidEpochAndRestartedEndsAsTheUnbrokenRun(@TempDir Path root) throws Exception {
        TrainRequest request = TrainRequest.newBuilder().setModelName("killed").setMethod(Method.DEEP_ENSEMBLE)
                .setMembers(2).setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(2_000))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(3).setBatchSize(BATCH).setDropoutRate(0.1f).addSeeds(5).build();
        Path unbrokenJob = job(root.resolve("unbroken"), request);
        Path killedJob = job(root.resolve("killed"), request);
        RunFiles unbroken = new RunFiles(StoreLayout.runDir(unbrokenJob, 1));
        RunFiles killed = new RunFiles(StoreLayout.runDir(killedJob, 1));
        int stepsPerEpoch = (1_800 + BATCH - 1) / BATCH; // validation takes 200 of the 2,000

        Process victim = member(killedJob).start();
        RunFiles.Progress atKill = awaitEpoch(killed, 2, victim);
        victim.destroyForcibly(); // SIGKILL: no shutdown hook, no snapshot at the step
        victim.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(atKill.step() > stepsPerEpoch && atKill.step() < 2 * stepsPerEpoch,
                "killed inside epoch 2, at step " + atKill.step());
        assertFalse(killed.done(), "killed before the run finished");
        assertEquals(1, killed.history().size(), "epoch 1's snapshot is what is left");

        Process restarted = member(killedJob).start();
        // The unbroken run trains in this JVM meanwhile (one PyTorch thread here too, as surefire configures it): only
        // the killed run needs a process of its own, and the comparison then also spans two processes.
        Files.createDirectories(StoreLayout.runDir(unbrokenJob, 1));
        assertEquals(0, RunMain.run(unbrokenJob, 1, "cpu", new PrintStream(OutputStream.nullOutputStream())),
                "the unbroken run finishes");
        assertEquals(0, exit(restarted), "the restarted member finishes");

        assertArrayEquals(Files.readAllBytes(unbroken.finalParams()), Files.readAllBytes(killed.finalParams()),
                "same parameters, bit for bit");
        RunResult expected = unbroken.result();
        RunResult actual = killed.result();
        assertEquals(expected.history().size(), actual.history().size());
        for (int i = 0; i < expected.history().size(); i++) {
            EpochRecord e = expected.history().get(i);
            EpochRecord a = actual.history().get(i);
            assertEquals(e.loss(), a.loss(), 0.0, "epoch " + e.epoch() + " loss");
            assertEquals(e.validationAccuracy(), a.validationAccuracy(), 0.0, "epoch " + e.epoch() + " accuracy");
        }
        try (var left = Files.list(killed.dir())) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    private static Path job(Path dir, TrainRequest request) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(StoreLayout.REQUEST), JsonFormat.printer().print(request),
                StandardCharsets.UTF_8);
        return dir;
    }

    /** Member 1 of the job, as the local executor starts it (one PyTorch thread: the result must not depend on it). */
    private static ProcessBuilder member(Path job) throws Exception {
        Path run = Files.createDirectories(StoreLayout.runDir(job, 1));
        return MemberProcesses.command(job, 1, "cpu", 1).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve(StoreLayout.LOG).toFile()));
    }

    /** Waits, on file-system events, until the run reports progress inside {@code epoch}. */
    private static RunFiles.Progress awaitEpoch(RunFiles run, int epoch, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            run.dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (System.nanoTime() < deadline) {
                RunFiles.Progress p = run.progress();
                if (p != null && p.epoch() >= epoch) {
                    return p;
                }
                assertTrue(process.isAlive(), () -> "member exited early: " + log(run));
                WatchKey key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        throw new AssertionError("no progress in epoch " + epoch + " within " + TIMEOUT_SECONDS + " s: " + log(run));
    }

    private static int exit(Process p) throws Exception {
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "member did not finish in time");
        return p.exitValue();
    }

    private static String log(RunFiles run) {
        try {
            return Files.readString(run.dir().resolve(StoreLayout.LOG));
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
