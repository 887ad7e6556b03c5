package io.ensemblescope.metrics.math;

/**
 * Per-sample OOD scores of one split, higher meaning "more likely OOD": MSP score 1 − max p̄, predictive entropy
 * H(p̄) and mutual information (nats).
 */
public record UncertaintyScores(double[] msp, double[] entropy, double[] mutualInformation) {
    public int size() {
        return msp.length;
    }

    /** The scores named by {@code score}. */
    public double[] of(OodScore score) {
        return switch (score) {
            case MSP -> msp;
            case ENTROPY -> entropy;
            case MUTUAL_INFORMATION -> mutualInformation;
        };
    }
}
