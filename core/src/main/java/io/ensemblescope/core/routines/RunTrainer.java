package io.ensemblescope.core.routines;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.checkpoint.Evaluation;
import io.ensemblescope.core.random.SeededRandom;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Trains one run — a single network, an MC-Dropout network, a BatchEnsemble, or one Deep-Ensemble member — into its
 * run directory, with an atomic snapshot after every epoch so a killed run resumes from its last completed epoch.
 * BatchEnsemble's loss is the mean cross-entropy over members with the targets tiled (or split).
 */
public final class RunTrainer {
    private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

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

    private RunTrainer() {}

    /** Trains (or resumes, or returns the finished result of) a run. Throws CancellationException when cancelled, {@link RunControl.PreemptedException} (after a step-level snapshot) when preempted. */
    public static RunResult train(Run run, Device device, int runIndex, TrainListener listener,
                                  RunControl control) throws IOException {
        RunFiles files = run.files();
        if (files.done()) {
            return files.result();
        }
        NetworkSpec spec = run.spec();
        TrainConfig cfg = run.config();
        int k = spec.method() == Method.BATCH_ENSEMBLE ? spec.members() : 1;
        if (cfg.splitBatch() && k > 1 && cfg.batchSize() % k != 0) {
            throw new IllegalArgumentException("batch_size " + cfg.batchSize() + " must be a multiple of members "
                    + k + " when the batch is split");
        }
        SeededRandom random = new SeededRandom(run.seed());
        try (NDManager manager = Engines.pytorch().newBaseManager(device)) {
            Block block = EnsembleNetwork.buildReplica(spec, run.train().numClasses(), manager, random);
            RunFiles.Snapshot snap = files.snapshot();
            List<EpochRecord> history = new ArrayList<>();
            int bestEpoch = 0;
            double bestAccuracy = -1;
            int sinceBest = 0;
            long step = 0;
            int resumeBatches = 0;
            double resumeLoss = 0;
            byte[] best = null;
            if (snap != null) {
                load(block, manager, files.snapshotParams());
                best = files.bestParams();
                history.addAll(snap.history());
                bestEpoch = snap.bestEpoch();
                bestAccuracy = snap.bestAccuracy();
                sinceBest = snap.epochsSinceBest();
                step = snap.step();
                resumeBatches = snap.partialBatches();
                resumeLoss = snap.partialLossSum();
            }
            int n = run.train().size();
            int stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
            long totalSteps = (long) stepsPerEpoch * cfg.epochs();
            ParameterStore ps = new ParameterStore(manager, false);
            ps.setParameterServer(new LocalParameterServer(Optimizers.create(cfg, stepsPerEpoch, step)),
                    new Device[] {device});
            Batcher batcher = new Batcher(run.train(), cfg.augment());
            SoftmaxCrossEntropyLoss ce = new SoftmaxCrossEntropyLoss();
            int per = run.train().imageBytes();
            float[] x = new float[cfg.batchSize() * per];
            int[] y = new int[cfg.batchSize()];
            long[] sample = run.train().sampleShape();
            boolean stoppedEarly = false;
            long runStart = System.nanoTime();
            long imagesThisRun = 0;
            int progressEvery = Math.max(1, stepsPerEpoch / 10);

            for (int epoch = history.size() + 1; epoch <= cfg.epochs(); epoch++) {
                if (cfg.patience() > 0 && sinceBest >= cfg.patience()) {
                    stoppedEarly = true;
                    break;
                }
                long epochStart = System.nanoTime();
                random.reseed(run.seed() + epoch * SEED_STRIDE);
                int[] order = random.permutation(n);
                double lossSum = resumeLoss;
                int batches = resumeBatches;
                if (resumeBatches > 0) {
                    // A step-level snapshot: skip the batches already trained; dropout draws continue from a stream
                    // derived from the position (a resumed run sees the same data, not the same masks).
                    random.reseed(run.seed() + epoch * SEED_STRIDE + resumeBatches * 0x2545F4914F6CDD1DL);
                }
                int firstFrom = resumeBatches * cfg.batchSize();
                resumeBatches = 0;
                resumeLoss = 0;
                for (int from = firstFrom; from < n; from += cfg.batchSize()) {
                    if (control.cancelled()) {
                        throw new CancellationException("run cancelled in epoch " + epoch);
                    }
                    if (control.preempted()) {
                        files.writeSnapshot(new RunFiles.Snapshot(epoch - 1, history, bestEpoch, bestAccuracy,
                                sinceBest, step, batches, lossSum), save(block), best == null ? save(block) : best);
                        throw new RunControl.PreemptedException("run preempted at step " + step
                                + "; snapshot written");
                    }
                    int b = Math.min(cfg.batchSize(), n - from);
                    if (cfg.splitBatch() && k > 1 && b % k != 0) {
                        b -= b % k; // the last split batch drops its remainder so every member gets a slice
                        if (b == 0) {
                            continue;
                        }
                    }
                    batcher.fill(order, from, b, x, y, random);
                    lossSum += LossGuard.finite(step(block, ps, ce, x, y, b, sample, k, cfg.splitBatch()), epoch, step);
                    batches++;
                    step++;
                    imagesThisRun += b;
                    if (batches % progressEvery == 0) {
                        double seconds = (System.nanoTime() - runStart) / 1e9;
                        float ips = (float) (imagesThisRun / seconds);
                        float eta = (float) ((totalSteps - step) * (double) cfg.batchSize() / Math.max(ips, 1e-6));
                        TrainListener.StepProgress p = new TrainListener.StepProgress(epoch, step, totalSteps,
                                (float) (lossSum / batches), ips, eta);
                        listener.onStep(runIndex, p);
                        files.writeProgress(new RunFiles.Progress(epoch, cfg.epochs(), step, totalSteps,
                                lossSum / batches, history.isEmpty() ? Double.NaN
                                        : history.get(history.size() - 1).validationAccuracy(), ips, eta));
                    }
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                double accuracy = accuracy(spec, block, run.validation(), manager);
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                EpochRecord record = new EpochRecord(epoch, lossSum / Math.max(1, batches), accuracy, seconds,
                        n / trainSeconds);
                history.add(record);
                byte[] params = save(block);
                if (accuracy > bestAccuracy) {
                    bestAccuracy = accuracy;
                    bestEpoch = epoch;
                    best = params;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                files.writeSnapshot(new RunFiles.Snapshot(epoch, history, bestEpoch, bestAccuracy, sinceBest, step,
                        0, 0), params, best);
                listener.onEpoch(runIndex, record);
            }
            // Early stopping keeps the best epoch's parameters; without it the last epoch's.
            byte[] kept = cfg.patience() > 0 ? best : save(block);
            int keptEpoch = cfg.patience() > 0 ? bestEpoch : history.size();
            double keptAccuracy = history.get(keptEpoch - 1).validationAccuracy();
            double meanIps = history.stream().mapToDouble(EpochRecord::imagesPerSecond).average().orElse(0);
            RunResult result = new RunResult(history, keptEpoch, keptAccuracy, meanIps, stoppedEarly);
            files.finish(kept, result);
            return result;
        }
    }

    private static float step(Block block, ParameterStore ps, SoftmaxCrossEntropyLoss ce, float[] x, int[] y, int b,
                              long[] sample, int k, boolean split) {
        try (NDManager sub = ps.getManager().newSubManager()) {
            NDArray xs = sub.create(java.nio.FloatBuffer.wrap(x, 0, b * (int) shapeSize(sample)), batchShape(b, sample));
            NDArray ys = sub.create(java.util.Arrays.copyOf(y, b)).toType(DataType.INT64, false);
            if (k > 1 && !split) {
                xs = EnsembleNetwork.tile(xs, k);
                ys = EnsembleNetwork.tile(ys, k);
            }
            float value;
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray logits = block.forward(ps, new NDList(xs), true).singletonOrThrow();
                NDArray loss = ce.evaluate(new NDList(ys), new NDList(logits));
                gc.backward(loss);
                value = loss.getFloat();
            }
            // The update runs after the collector closed: gradient recording is off, as optimizers need.
            ps.updateAllParameters();
            return value;
        }
    }

    /** Accuracy of the run's mean prediction (over members or MC samples) on a labeled split. */
    static double accuracy(NetworkSpec spec, Block block, ImageDataset data, NDManager manager) {
        return Evaluation.accuracy(data, manager, x -> EnsembleNetwork.runLogits(spec, block, x, spec.mcSamples()));
    }

    static Shape batchShape(int b, long[] sample) {
        long[] dims = new long[sample.length + 1];
        dims[0] = b;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return new Shape(dims);
    }

    private static long shapeSize(long[] sample) {
        long s = 1;
        for (long d : sample) {
            s *= d;
        }
        return s;
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
        } catch (ai.djl.MalformedModelException e) {
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
