package io.ensemblescope.metrics.math;

import java.util.Arrays;

/**
 * Scores of the positive and the negative class, each sorted ascending; a higher score means "more positive". The
 * ranking metrics read this once-sorted form, so 10⁶ scores cost two primitive sorts.
 */
public final class RankedScores {
    private final double[] positives;
    private final double[] negatives;

    private RankedScores(double[] sortedPositives, double[] sortedNegatives) {
        this.positives = sortedPositives;
        this.negatives = sortedNegatives;
    }

    /**
     * Copies and sorts the scores.
     *
     * @throws IllegalStateException    when either class has no scores (the metric is undefined)
     * @throws IllegalArgumentException when a score is NaN
     */
    public static RankedScores of(double[] positives, double[] negatives) {
        if (positives.length == 0) {
            throw new IllegalStateException("ranking metrics need positive (OOD) samples, got none");
        }
        if (negatives.length == 0) {
            throw new IllegalStateException("ranking metrics need negative (in-distribution) samples, got none");
        }
        double[] pos = sortedCopy(positives, "positives");
        double[] neg = sortedCopy(negatives, "negatives");
        return new RankedScores(pos, neg);
    }

    private static double[] sortedCopy(double[] scores, String field) {
        double[] copy = scores.clone();
        for (int i = 0; i < copy.length; i++) {
            if (Double.isNaN(copy[i])) {
                throw new IllegalArgumentException(field + "[" + i + "]: score is NaN");
            }
        }
        Arrays.sort(copy);
        return copy;
    }

    /** The roles swapped and the scores negated: in-distribution becomes the positive class (for AUPR-In). */
    public RankedScores swapped() {
        return new RankedScores(negatedReversed(negatives), negatedReversed(positives));
    }

    private static double[] negatedReversed(double[] ascending) {
        int n = ascending.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            // 0.0 - x rather than -x keeps −0.0 out, so the sort order stays the one Arrays.sort gives.
            out[i] = 0.0 - ascending[n - 1 - i];
        }
        return out;
    }

    public int positiveCount() {
        return positives.length;
    }

    public int negativeCount() {
        return negatives.length;
    }

    double[] positives() {
        return positives;
    }

    double[] negatives() {
        return negatives;
    }

    /** Walks the distinct thresholds from the highest score down. */
    ThresholdWalk walkDown() {
        return new ThresholdWalk(positives, negatives);
    }
}
