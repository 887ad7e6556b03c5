package io.ensemblescope.metrics.math;

/**
 * OOD detection with OOD as the positive class and a score where higher means "more likely OOD": AUROC, AUPR (AP,
 * OOD positive), AUPR-In (AP, in-distribution positive, score negated) and FPR95.
 */
public record OodMetrics(double auroc, double aupr, double auprIn, double fpr95) {
    /**
     * @throws IllegalStateException when either side has no samples
     */
    public static OodMetrics of(double[] inDistributionScores, double[] oodScores) {
        RankedScores ranked = RankedScores.of(oodScores, inDistributionScores);
        return new OodMetrics(Auroc.of(ranked), AveragePrecision.of(ranked), AveragePrecision.negativeClass(ranked),
                Fpr95.of(ranked));
    }
}
