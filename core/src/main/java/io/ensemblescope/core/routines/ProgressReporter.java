package io.ensemblescope.core.routines;

import java.io.IOException;

/**
 * Reports a run's progress about ten times per epoch: to the in-process listener and to {@code progress.json} for
 * observers in other processes. Throughput and ETA count only the steps of this process.
 */
final class ProgressReporter {
    private final TrainListener listener;
    private final int runIndex;
    private final RunFiles files;
    private final int epochs;
    private final int batchSize;
    private final long totalSteps;
    private final int every;
    private final long start = System.nanoTime();
    private long images;

    ProgressReporter(TrainListener listener, int runIndex, RunFiles files, BatchPlan plan, int epochs) {
        this.listener = listener;
        this.runIndex = runIndex;
        this.files = files;
        this.epochs = epochs;
        this.batchSize = plan.batchSize();
        this.totalSteps = (long) plan.batchesPerEpoch() * epochs;
        this.every = Math.max(1, plan.batchesPerEpoch() / 10);
    }

    /** After a step of {@code batchImages} images; {@code state} holds the position after it. */
    void afterStep(RunState state, int batchImages) throws IOException {
        images += batchImages;
        if (state.batchesDone() % every != 0) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        float ips = (float) (images / seconds);
        float eta = (float) ((totalSteps - state.step()) * (double) batchSize / Math.max(ips, 1e-6));
        float loss = (float) state.epochLoss();
        listener.onStep(runIndex, new TrainListener.StepProgress(state.epoch(), state.step(), totalSteps, loss, ips,
                eta));
        files.writeProgress(new RunFiles.Progress(state.epoch(), epochs, state.step(), totalSteps, state.epochLoss(),
                state.lastValidationAccuracy(), ips, eta));
    }
}
