package io.ensemblescope.metrics.math;

import java.util.List;

/**
 * Everything measured on one split. Accuracy, NLL, Brier, ECE, per-member numbers and the reliability bins are
 * meaningful only when {@code labeled}; they are 0 / empty otherwise. {@code disagreementMatrix} is k×k row-major.
 */
public record SplitMetrics(
        long samples,
        boolean labeled,
        double accuracy,
        double nll,
        double brier,
        double ece,
        double adaptiveEce,
        double predictiveEntropy,
        double expectedEntropy,
        double mutualInformation,
        double disagreement,
        double meanPairwiseKl,
        double[] memberAccuracy,
        double[] memberNll,
        List<ReliabilityBin> reliability,
        double[] disagreementMatrix,
        UncertaintyScores scores) {

    /** The paper's name for mutual information: the generalized Jensen–Shannon divergence with uniform weights. */
    public double jensenShannonDivergence() {
        return mutualInformation;
    }
}
