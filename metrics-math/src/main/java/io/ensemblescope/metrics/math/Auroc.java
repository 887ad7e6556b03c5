package io.ensemblescope.metrics.math;

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a random negative, ties
 * counting one half — the Mann–Whitney U statistic with average ranks for ties, divided by n₊·n₋.
 */
public final class Auroc {
    private Auroc() {}

    public static double of(RankedScores scores) {
        double[] pos = scores.positives();
        double[] neg = scores.negatives();
        // Twice U, kept in a long so the count is exact before the single division.
        long twiceU = 0;
        int below = 0;
        int atOrBelow = 0;
        for (double p : pos) {
            while (below < neg.length && neg[below] < p) {
                below++;
            }
            if (atOrBelow < below) {
                atOrBelow = below;
            }
            while (atOrBelow < neg.length && neg[atOrBelow] <= p) {
                atOrBelow++;
            }
            twiceU += below + (long) atOrBelow;
        }
        return twiceU / (2.0 * pos.length * neg.length);
    }
}
