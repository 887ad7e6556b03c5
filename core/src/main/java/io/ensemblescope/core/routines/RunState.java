package io.ensemblescope.core.routines;

import io.ensemblescope.core.checkpoint.EpochRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands: the epochs completed, early stopping, and the position inside the epoch in progress (batches
 * done, their summed loss, optimizer steps). Together with the parameters and the optimizer's state it is all a
 * snapshot holds, and all a resumed run needs.
 */
final class RunState {
    private final List<EpochRecord> history;
    private final EarlyStopping stopping;
    private long step;
    private int batchesDone;
    private double lossSum;

    private RunState(List<EpochRecord> history, EarlyStopping stopping, long step, int batchesDone, double lossSum) {
        this.history = new ArrayList<>(history);
        this.stopping = stopping;
        this.step = step;
        this.batchesDone = batchesDone;
        this.lossSum = lossSum;
    }

    static RunState fresh(int patience) {
        return new RunState(List.of(), new EarlyStopping(patience), 0, 0, 0);
    }

    static RunState resumed(RunFiles.Snapshot s, byte[] bestParams, int patience) {
        return new RunState(s.history(), new EarlyStopping(patience, s.bestEpoch(), s.bestAccuracy(),
                s.epochsSinceBest(), bestParams), s.step(), s.partialBatches(), s.partialLossSum());
    }

    /** The epoch in progress (or next), 1-based. */
    int epoch() {
        return history.size() + 1;
    }

    long step() {
        return step;
    }

    int batchesDone() {
        return batchesDone;
    }

    /** Mean loss of the epoch in progress so far. */
    double epochLoss() {
        return lossSum / Math.max(1, batchesDone);
    }

    /** The last completed epoch's validation accuracy, NaN before the first. */
    double lastValidationAccuracy() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).validationAccuracy();
    }

    List<EpochRecord> history() {
        return List.copyOf(history);
    }

    EarlyStopping stopping() {
        return stopping;
    }

    /** One optimizer step done with this batch loss. */
    void addBatch(double loss) {
        lossSum += loss;
        batchesDone++;
        step++;
    }

    /** Closes the epoch in progress with its validation result and final parameters. */
    EpochRecord endEpoch(double accuracy, double seconds, double imagesPerSecond, byte[] params) {
        EpochRecord record = new EpochRecord(epoch(), epochLoss(), accuracy, seconds, imagesPerSecond);
        history.add(record);
        stopping.observe(record.epoch(), accuracy, params);
        batchesDone = 0;
        lossSum = 0;
        return record;
    }

    /** The snapshot of this state (file names are filled in by {@link RunFiles#writeSnapshot}). */
    RunFiles.Snapshot snapshot() {
        return new RunFiles.Snapshot(history.size(), history(), stopping.bestEpoch(), stopping.bestAccuracy(),
                stopping.sinceBest(), step, batchesDone, lossSum, null, null, null);
    }
}
