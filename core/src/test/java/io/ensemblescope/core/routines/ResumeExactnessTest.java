package io.ensemblescope.core.routines;

import io.ensemblescope.core.checkpoint.EpochRecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run stopped at any step — preempted (a step-level snapshot) or crashed (nothing after the last epoch snapshot) —
 * and resumed ends bit for bit where the unbroken run ends: parameters, losses, accuracies, kept epoch. Covers Adam
 * (moments, bias-correction step counts) and Nesterov SGD (velocity), a learning-rate milestone, early stopping's
 * best parameters, and dropout masks and data order drawn from the run's random stream.
 */
class ResumeExactnessTest {
    private static final int BATCH = 60;
    private static final int EPOCHS = 3;
    private static TrainingData data;

    @BeforeAll
    static void load() {
        data = TrainingData.holdOut(DatasetCatalog.shared().load(
                new DatasetRequest("mnist", Subset.TRAIN, 0, 480, "", null, 0)), 0.25);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("adam", Method.MC_DROPOUT, OptimizerConfig.adam(3e-3f, 1e-4f)),
                Arguments.of("nesterov", Method.BATCH_ENSEMBLE,
                        new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.05f, 0.9f, true, 5e-4f)));
    }

    private static RunTrainer.Run run(Method method, OptimizerConfig optimizer, Path dir) {
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, method, method.isEnsemble() ? 2 : 1, 0.1f, 2, null);
        TrainConfig cfg = new TrainConfig(optimizer, new int[] {2}, 0.5f, EPOCHS, BATCH, 2, false, false);
        return new RunTrainer.Run(spec, 7L, data.train(), data.validation(), cfg, new RunFiles(dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void aRunStoppedAtAnyStepAndResumedEqualsTheUnbrokenRun(String name, Method method, OptimizerConfig optimizer,
                                                            @TempDir Path root) throws Exception {
        int stepsPerEpoch = (data.train().size() + BATCH - 1) / BATCH;
        RunResult unbroken = RunTrainer.train(run(method, optimizer, root.resolve("unbroken")), Device.cpu(), 0,
                TrainListener.NONE, RunControl.NONE);
        byte[] expected = Files.readAllBytes(root.resolve("unbroken").resolve(RunFiles.FINAL_PARAMS));

        int last = stepsPerEpoch * EPOCHS - 1;
        // Inside epoch 1 (nothing to resume from when crashed), at and around epoch boundaries, and at the last step.
        int[][] stops = {{1, 0}, {stepsPerEpoch - 1, 1}, {stepsPerEpoch + 2, 0}, {2 * stepsPerEpoch + 1, 1},
                {last, 0}};
        for (int[] s : stops) {
            int stopAt = s[0];
            boolean crash = s[1] == 1;
            String label = (crash ? "crashed" : "preempted") + " after step " + stopAt;
            Path dir = root.resolve((crash ? "crash-" : "preempt-") + stopAt);
            RunControl stop = stopAfter(stopAt, crash);
            CancellationException stopped = assertThrows(CancellationException.class, () -> RunTrainer.train(
                    run(method, optimizer, dir), Device.cpu(), 0, TrainListener.NONE, stop), label);
            assertEquals(!crash, stopped instanceof RunControl.PreemptedException, label);
            if (!crash) {
                assertEquals(stopAt, new RunFiles(dir).snapshot().step(), label + ": snapshot at the step boundary");
            }
            RunResult resumed = RunTrainer.train(run(method, optimizer, dir), Device.cpu(), 0, TrainListener.NONE,
                    RunControl.NONE);
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(RunFiles.FINAL_PARAMS)), label);
            assertSameTraining(unbroken, resumed, label);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void whatAKilledWriterLeavesIsRemovedAndTheLastWholeSnapshotIsUsed(String name, Method method,
                                                                     OptimizerConfig optimizer, @TempDir Path root)
            throws Exception {
        RunResult unbroken = RunTrainer.train(run(method, optimizer, root.resolve("unbroken")), Device.cpu(), 0,
                TrainListener.NONE, RunControl.NONE);
        Path dir = root.resolve("killed");
        assertThrows(RunControl.PreemptedException.class, () -> RunTrainer.train(run(method, optimizer, dir),
                Device.cpu(), 0, TrainListener.NONE, stopAfter(9, false)));
        // What kill -9 during the next snapshot leaves: a half-written temp file and data files no snapshot names.
        Files.write(dir.resolve(".snapshot.json.0b1c.tmp"), new byte[] {'{'});
        Files.write(dir.resolve(StoreLayout.snapshotParams(12)), new byte[] {1, 2, 3});
        Files.write(dir.resolve(StoreLayout.optimizerState(12)), new byte[] {4});

        RunResult resumed = RunTrainer.train(run(method, optimizer, dir), Device.cpu(), 0, TrainListener.NONE,
                RunControl.NONE);
        assertSameTraining(unbroken, resumed, "resumed past a torn snapshot");
        assertArrayEquals(Files.readAllBytes(root.resolve("unbroken").resolve(RunFiles.FINAL_PARAMS)),
                Files.readAllBytes(dir.resolve(RunFiles.FINAL_PARAMS)));
        try (Stream<Path> left = Files.list(dir)) {
            List<String> names = left.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), names.toString());
            assertFalse(names.contains(StoreLayout.snapshotParams(12)), names.toString());
            assertFalse(names.contains(StoreLayout.optimizerState(12)), names.toString());
            RunFiles.Snapshot last = new RunFiles(dir).snapshot();
            assertNotNull(last);
            assertTrue(names.containsAll(last.fileNames()), "the last snapshot is whole: " + names);
            assertEquals(last.fileNames().size(), names.stream().filter(StoreLayout::isSnapshotData).count(),
                    "only the last snapshot's files are kept: " + names);
        }
    }

    /** Stops the run once {@code steps} steps are done: a crash (no snapshot) or a preemption (snapshot). */
    private static RunControl stopAfter(int steps, boolean crash) {
        AtomicInteger boundaries = new AtomicInteger();
        return new RunControl() {
            @Override
            public boolean cancelled() {
                return crash && boundaries.incrementAndGet() > steps;
            }

            @Override
            public boolean preempted() {
                return !crash && boundaries.incrementAndGet() > steps;
            }
        };
    }

    private static void assertSameTraining(RunResult expected, RunResult actual, String label) {
        assertEquals(expected.bestEpoch(), actual.bestEpoch(), label);
        assertEquals(expected.stoppedEarly(), actual.stoppedEarly(), label);
        assertEquals(expected.history().size(), actual.history().size(), label);
        for (int i = 0; i < expected.history().size(); i++) {
            EpochRecord e = expected.history().get(i);
            EpochRecord a = actual.history().get(i);
            assertEquals(e.epoch(), a.epoch(), label);
            assertEquals(e.loss(), a.loss(), 0.0, label + ": epoch " + e.epoch() + " loss");
            assertEquals(e.validationAccuracy(), a.validationAccuracy(), 0.0, label + ": epoch " + e.epoch());
        }
    }
}
