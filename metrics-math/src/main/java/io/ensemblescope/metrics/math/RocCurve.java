package io.ensemblescope.metrics.math;

import java.util.Arrays;

/** ROC points (FPR, TPR) at every distinct threshold, from (0, 0) to (1, 1), for plotting. */
public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate) {
    public static RocCurve of(RankedScores scores) {
        int max = scores.positiveCount() + scores.negativeCount() + 1;
        double[] fpr = new double[max];
        double[] tpr = new double[max];
        int n = 1;
        ThresholdWalk walk = scores.walkDown();
        while (walk.hasNext()) {
            walk.next();
            fpr[n] = (double) walk.falsePositives() / scores.negativeCount();
            tpr[n] = (double) walk.truePositives() / scores.positiveCount();
            n++;
        }
        return new RocCurve(Arrays.copyOf(fpr, n), Arrays.copyOf(tpr, n));
    }
}
