package io.ensemblescope.metrics.math;

import java.util.Arrays;

/**
 * Adaptive (equal-mass) ECE: samples sorted by top-label confidence are cut into bins of ⌊N/n⌋ or ⌈N/n⌉ samples
 * (bin b holds sorted positions [⌊bN/n⌋, ⌊(b+1)N/n⌋)), then ECE = Σ_b (n_b/N)·|acc_b − conf_b| over non-empty bins.
 * Equal confidences are ordered incorrect before correct, so the result does not depend on sample order.
 */
public final class AdaptiveCalibrationError {
    private AdaptiveCalibrationError() {}

    public static double of(double[] confidence, boolean[] correct, int bins) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException("correct: " + correct.length + " flags for " + confidence.length
                    + " confidences");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins: must be >= 1, got " + bins);
        }
        int n = confidence.length;
        if (n == 0) {
            return 0;
        }
        int nRight = 0;
        for (boolean c : correct) {
            nRight += c ? 1 : 0;
        }
        double[] wrong = new double[n - nRight];
        double[] right = new double[nRight];
        int w = 0;
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (correct[i]) {
                right[r++] = confidence[i];
            } else {
                wrong[w++] = confidence[i];
            }
        }
        Arrays.sort(wrong);
        Arrays.sort(right);
        double ece = 0;
        w = 0;
        r = 0;
        for (int b = 0; b < bins; b++) {
            int end = (int) ((long) (b + 1) * n / bins);
            int start = (int) ((long) b * n / bins);
            if (end == start) {
                continue;
            }
            double confSum = 0;
            int hits = 0;
            for (int pos = start; pos < end; pos++) {
                // Merge step: the wrong sample goes first on ties.
                if (r >= right.length || (w < wrong.length && wrong[w] <= right[r])) {
                    confSum += wrong[w++];
                } else {
                    confSum += right[r++];
                    hits++;
                }
            }
            int size = end - start;
            ece += (double) size / n * Math.abs((double) hits / size - confSum / size);
        }
        return ece;
    }
}
