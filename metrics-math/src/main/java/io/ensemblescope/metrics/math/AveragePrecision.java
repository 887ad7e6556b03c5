package io.ensemblescope.metrics.math;

/**
 * Average precision as scikit-learn defines it: AP = Σ_t (R_t − R_{t−1})·P_t over the distinct score thresholds
 * from the highest down, a step function with no interpolation.
 */
public final class AveragePrecision {
    private AveragePrecision() {}

    /** AP with the positive class positive (AUPR-Out when OOD is positive). */
    public static double of(RankedScores scores) {
        ThresholdWalk walk = scores.walkDown();
        double positives = scores.positiveCount();
        double ap = 0;
        double previousRecall = 0;
        while (walk.hasNext()) {
            walk.next();
            long tp = walk.truePositives();
            double recall = tp / positives;
            if (recall > previousRecall) {
                ap += (recall - previousRecall) * tp / (tp + walk.falsePositives());
                previousRecall = recall;
            }
        }
        return ap;
    }

    /** AUPR-In: AP with the negative class (in-distribution) positive and the scores negated. */
    public static double negativeClass(RankedScores scores) {
        return of(scores.swapped());
    }
}
