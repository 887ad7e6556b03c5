package io.ensemblescope.metrics.math;

/**
 * The per-sample values of one batch of member-major probabilities [k, B, C], each from that sample alone: the same
 * numbers {@link SplitAccumulator} averages over a split, exposed one sample at a time (a serving system histograms
 * them, or keeps them in a window). Computed once by {@link ChunkStats}, so a sample's value here is bit-identical to
 * the one the split metrics fold.
 */
public final class SampleStatistics {
    private final ChunkStats stats;
    private final int members;
    private final boolean labeled;

    private SampleStatistics(ChunkStats stats, int members, boolean labeled) {
        this.stats = stats;
        this.members = members;
        this.labeled = labeled;
    }

    /** Values of unlabeled samples (no NLL or Brier). */
    public static SampleStatistics of(float[] probs, int members, int batch, int classes) {
        return of(probs, members, batch, classes, null);
    }

    /**
     * Validates, then computes every sample's values.
     *
     * @param labels B labels in [0, C), or null for unlabeled samples
     * @throws IllegalArgumentException naming the row or label at fault
     */
    public static SampleStatistics of(float[] probs, int members, int batch, int classes, int[] labels) {
        if (members < 1 || batch < 0 || classes < 1) {
            throw new IllegalArgumentException("probabilities: k=" + members + ", B=" + batch + ", C=" + classes
                    + " (need k >= 1, B >= 0, C >= 1)");
        }
        Probabilities.validate(probs, members, batch, classes);
        if (labels != null) {
            if (labels.length != batch) {
                throw new IllegalArgumentException("labels: " + labels.length + " labels for " + batch + " samples");
            }
            Probabilities.validateLabels(labels, classes);
        }
        return new SampleStatistics(ChunkStats.of(probs, members, batch, classes, labels), members, labels != null);
    }

    public int size() {
        return stats.batch;
    }

    public int members() {
        return members;
    }

    /** Top-label confidence max_c p̄_c (1 − the MSP score). */
    public double maxProbability(int j) {
        return stats.confidence[j];
    }

    /** argmax_c p̄_c, ties to the lowest class. */
    public int prediction(int j) {
        return stats.topClass[j];
    }

    /** Predictive entropy H(p̄) in nats. */
    public double predictiveEntropy(int j) {
        return stats.entropy[j];
    }

    /** Mutual information max(0, H(p̄) − mean_i H(p_i)) in nats: the uniform-weight generalized JSD; 0 for k = 1. */
    public double mutualInformation(int j) {
        return stats.mutualInformation[j];
    }

    /** Share of the C(k,2) member pairs whose argmax differs; 0 for k = 1. */
    public double disagreement(int j) {
        long pairs = (long) members * (members - 1) / 2;
        return pairs == 0 ? 0 : (double) stats.disagreeingPairs(j, members) / pairs;
    }

    /** −log p̄(y) with p̄(y) clamped to 1e-12 (labeled samples only). */
    public double nll(int j) {
        requireLabels();
        return -stats.logMeanAtLabel[j];
    }

    /** Σ_c (p̄_c − 1[c = y])² (labeled samples only). */
    public double brier(int j) {
        requireLabels();
        return stats.brier[j];
    }

    /** Whether the top class is the label (labeled samples only). */
    public boolean correct(int j, int label) {
        requireLabels();
        return stats.topClass[j] == label;
    }

    private void requireLabels() {
        if (!labeled) {
            throw new IllegalStateException("these samples were computed without labels");
        }
    }
}
