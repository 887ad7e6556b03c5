package io.ensemblescope.metrics.math;

/**
 * False-positive rate at 95 % true-positive rate: walking thresholds from the highest score down, the share of
 * negatives (in-distribution) scoring at or above the first threshold whose positive (OOD) recall reaches 0.95.
 */
public final class Fpr95 {
    private Fpr95() {}

    public static double of(RankedScores scores) {
        ThresholdWalk walk = scores.walkDown();
        long positives = scores.positiveCount();
        while (walk.hasNext()) {
            walk.next();
            // recall ≥ 0.95 ⇔ 20·tp ≥ 19·n₊, in integers so no rounding decides the threshold.
            if (20 * walk.truePositives() >= 19 * positives) {
                return (double) walk.falsePositives() / scores.negativeCount();
            }
        }
        throw new AssertionError("the lowest threshold always reaches recall 1");
    }
}
