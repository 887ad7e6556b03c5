package io.ensemblescope.core.routines;

/**
 * Early stopping on validation accuracy: remembers the best epoch and its parameters, and says when {@code patience}
 * epochs have passed without improvement. With patience 0 it never stops and the run keeps its last epoch.
 */
final class EarlyStopping {
    private final int patience;
    private int bestEpoch;
    private double bestAccuracy = -1;
    private int sinceBest;
    private byte[] bestParams;

    EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Continues from a snapshot. */
    EarlyStopping(int patience, int bestEpoch, double bestAccuracy, int sinceBest, byte[] bestParams) {
        this(patience);
        this.bestEpoch = bestEpoch;
        this.bestAccuracy = bestAccuracy;
        this.sinceBest = sinceBest;
        this.bestParams = bestParams;
    }

    /** Takes in a finished epoch's validation accuracy and parameters. */
    void observe(int epoch, double accuracy, byte[] params) {
        if (accuracy > bestAccuracy) {
            bestAccuracy = accuracy;
            bestEpoch = epoch;
            bestParams = params;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
    }

    /** True when the run should stop before its next epoch. */
    boolean exhausted() {
        return patience > 0 && sinceBest >= patience;
    }

    /** The epoch whose parameters the run keeps, out of {@code epochsTrained}. */
    int keptEpoch(int epochsTrained) {
        return patience > 0 ? bestEpoch : epochsTrained;
    }

    /** The parameters the run keeps, given the last epoch's. */
    byte[] keptParams(byte[] lastParams) {
        return patience > 0 ? bestParams : lastParams;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestAccuracy() {
        return bestAccuracy;
    }

    int sinceBest() {
        return sinceBest;
    }

    byte[] bestParams() {
        return bestParams;
    }
}
