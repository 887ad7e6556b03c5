package io.ensemblescope.core.routines;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.random.SeededRandom;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.files.ExclusiveLock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Trains one run — a single network, an MC-Dropout network, a BatchEnsemble, or one Deep-Ensemble member — into its
 * run directory. A snapshot after every epoch (and at the step boundary where a shutdown preempts the run) holds the
 * parameters, the optimizer's state and the run's position; the learning rate and the random stream are functions
 * of that position. A run killed at any step therefore resumes from its last snapshot and ends bit for bit where the
 * unbroken run ends.
 */
public final class RunTrainer {
    /** How long a run waits for another process still training the same run directory to let go of it. */
    private static final Duration RUN_LOCK_WAIT = Duration.ofSeconds(60);

    /**
     * One run.
     *
     * @param spec the network (for a Deep-Ensemble member: the ensemble's spec; the run builds one replica)
     * @param seed the run's seed: initial weights, data order, dropout masks and augmentation
     * @param train training split
     * @param validation validation split (early stopping and reported accuracy)
     * @param config training hyperparameters
     * @param files the run directory
     */
    public record Run(NetworkSpec spec, long seed, ImageDataset train, ImageDataset validation, TrainConfig config,
                      RunFiles files) {}

    private final Run run;
    private final BatchPlan plan;
    private final NDManager manager;
    private final int runIndex;
    private final TrainListener listener;
    private final RunControl control;
    private final RunRandomness randomness;
    private final Block block;
    private final MultistepSchedule schedule;
    private final ResumableOptimizer optimizer;
    private final TrainingStep step;
    private final ProgressReporter progress;
    private final RunState state;

    private RunTrainer(Run run, BatchPlan plan, NDManager manager, int runIndex, TrainListener listener,
                       RunControl control) throws IOException {
        this.run = run;
        this.plan = plan;
        this.manager = manager;
        this.runIndex = runIndex;
        this.listener = listener;
        this.control = control;
        this.randomness = new RunRandomness(run.seed());
        this.block = EnsembleNetwork.buildReplica(run.spec(), run.train().numClasses(), manager, randomness.stream());
        TrainConfig cfg = run.config();
        this.schedule = new MultistepSchedule(cfg.optimizer().learningRate(), cfg.milestones(), cfg.gamma());
        this.optimizer = Optimizers.create(cfg.optimizer(), schedule,
                ParameterGroups.of(block, cfg.optimizer().fastWeights()));
        this.step = new TrainingStep(block, optimizer, manager, run.train(), cfg.augment(), plan);
        this.progress = new ProgressReporter(listener, runIndex, run.files(), plan, cfg.epochs());
        this.state = restore();
    }

    /**
     * Trains (or resumes, or returns the finished result of) a run. Throws CancellationException when cancelled,
     * {@link RunControl.PreemptedException} (after a step-level snapshot) when preempted.
     */
    public static RunResult train(Run run, Device device, int runIndex, TrainListener listener,
                                  RunControl control) throws IOException {
        RunFiles files = run.files();
        if (files.done()) {
            return files.result();
        }
        BatchPlan plan = BatchPlan.of(run.spec(), run.config(), run.train().size());
        double stepFlops = TrainingThreads.stepForwardFlops(run.spec(), run.train().numClasses(), plan);
        // One trainer per run directory: a member process orphaned by a killed trainer may still be writing here.
        try (ExclusiveLock lock = ExclusiveLock.acquire(files.dir().resolve(StoreLayout.LOCK), RUN_LOCK_WAIT);
             NDManager manager = Engines.pytorch().newBaseManager(device);
             TrainingThreads threads = TrainingThreads.limit(device, stepFlops)) {
            if (files.done()) {
                return files.result();
            }
            files.removeStale();
            return new RunTrainer(run, plan, manager, runIndex, listener, control).trainRemainingEpochs();
        }
    }

    /** The last snapshot's state, parameters and optimizer state, or a fresh start. */
    private RunState restore() throws IOException {
        RunFiles files = run.files();
        RunFiles.Snapshot snapshot = files.snapshot();
        if (snapshot == null) {
            return RunState.fresh(run.config().patience());
        }
        load(block, manager, files.snapshotParams(snapshot));
        byte[] optimizerState = files.optimizerState(snapshot);
        if (optimizerState != null) {
            optimizer.restore(block, manager, optimizerState);
        }
        return RunState.resumed(snapshot, files.bestParams(snapshot), run.config().patience());
    }

    private RunResult trainRemainingEpochs() throws IOException {
        boolean stoppedEarly = false;
        while (state.epoch() <= run.config().epochs()) {
            if (state.stopping().exhausted()) {
                stoppedEarly = true;
                break;
            }
            trainEpoch();
        }
        RunResult result = outcome(state.history(), state.stopping(), stoppedEarly, run.config().epochs());
        byte[] kept = state.stopping().keptParams(save(block));
        run.files().finish(kept, result);
        return result;
    }

    /** Trains the epoch in progress from the batch the state is at, validates, and snapshots. */
    private void trainEpoch() throws IOException {
        int epoch = state.epoch();
        long start = System.nanoTime();
        schedule.enterEpoch(epoch);
        int[] order = randomness.epochOrder(epoch, plan.rows());
        long images = 0;
        for (int batch = state.batchesDone(); batch < plan.batchesPerEpoch(); batch++) {
            atStepBoundary(epoch);
            randomness.beforeBatch(epoch, batch);
            float loss = LossGuard.finite(step.run(order, batch, randomness.stream()), epoch, state.step());
            state.addBatch(loss);
            images += plan.size(batch);
            progress.afterStep(state, plan.size(batch));
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        listener.onEpochTrained(runIndex, epoch);
        randomness.beforeValidation(epoch);
        double accuracy = validationAccuracy();
        double seconds = (System.nanoTime() - start) / 1e9;
        byte[] params = save(block);
        EpochRecord record = state.endEpoch(accuracy, seconds, images / trainSeconds, params);
        writeSnapshot(params);
        listener.onEpoch(runIndex, record);
    }

    /** The snapshot policy between steps: a cancelled run stops as it is; a preempted one snapshots, then stops. */
    private void atStepBoundary(int epoch) throws IOException {
        if (control.cancelled()) {
            throw new CancellationException("run cancelled in epoch " + epoch);
        }
        if (control.preempted()) {
            writeSnapshot(save(block));
            throw new RunControl.PreemptedException("run preempted at step " + state.step() + "; snapshot written");
        }
    }

    private void writeSnapshot(byte[] params) throws IOException {
        run.files().writeSnapshot(state.snapshot(), params, state.stopping().bestParams(), optimizer.save(block));
    }

    /**
     * What a finished run reports: early stopping keeps the best epoch, otherwise the last. A run must have trained
     * at least one epoch.
     */
    static RunResult outcome(List<EpochRecord> history, EarlyStopping stopping, boolean stoppedEarly, int epochs) {
        if (history.isEmpty()) {
            throw new IllegalStateException("the run trained no epoch (epochs = " + epochs + ")");
        }
        int keptEpoch = stopping.keptEpoch(history.size());
        double keptAccuracy = history.get(keptEpoch - 1).validationAccuracy();
        double meanIps = history.stream().mapToDouble(EpochRecord::imagesPerSecond).average().orElse(0);
        return new RunResult(history, keptEpoch, keptAccuracy, meanIps, stoppedEarly);
    }

    /** Accuracy of the run's mean prediction (over members or MC samples) on the validation split. */
    private double validationAccuracy() {
        NetworkSpec spec = run.spec();
        return Evaluation.accuracy(run.validation(), manager,
                x -> EnsembleNetwork.runLogits(spec, block, x, spec.mcSamples()));
    }

    static byte[] save(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    static void load(Block block, NDManager manager, byte[] params) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("snapshot does not fit the network: " + e.getMessage(), e);
        }
        // Loaded arrays are plain tensors: trainable parameters must record gradients again.
        for (var p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }
}
