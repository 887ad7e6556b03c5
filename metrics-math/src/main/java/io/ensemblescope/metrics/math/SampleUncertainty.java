package io.ensemblescope.metrics.math;

/**
 * Per-sample uncertainty of member-major probabilities [k, B, C], with the split metrics' formulas and conventions
 * ({@link Conventions}): predictive entropy H(p̄), mutual information max(0, H(p̄) − mean_i H(p_i)) and
 * disagreement, the share of the C(k,2) member pairs whose argmax differs (0 for k = 1). Values are in nats and
 * depend on their own sample only, so they equal what {@link SplitAccumulator} sums.
 *
 * @param entropy B predictive entropies
 * @param mutualInformation B mutual informations
 * @param disagreement B disagreement shares in [0, 1]
 */
public record SampleUncertainty(double[] entropy, double[] mutualInformation, double[] disagreement) {

    /**
     * The uncertainty of every sample of {@code probs}.
     *
     * @throws IllegalArgumentException when the rows are not probabilities ({@link Probabilities#validate})
     */
    public static SampleUncertainty of(float[] probs, int members, int batch, int classes) {
        if (members < 1 || classes < 1 || batch < 0) {
            throw new IllegalArgumentException("probabilities: need k >= 1, C >= 1 and B >= 0, got k=" + members
                    + ", B=" + batch + ", C=" + classes);
        }
        Probabilities.validate(probs, members, batch, classes);
        ChunkStats stats = ChunkStats.of(probs, members, batch, classes, null);
        double pairs = (double) members * (members - 1) / 2;
        double[] disagreement = new double[batch];
        for (int j = 0; j < batch; j++) {
            disagreement[j] = pairs == 0 ? 0 : stats.disagreeingPairs(j, members) / pairs;
        }
        return new SampleUncertainty(stats.entropy, stats.mutualInformation, disagreement);
    }
}
