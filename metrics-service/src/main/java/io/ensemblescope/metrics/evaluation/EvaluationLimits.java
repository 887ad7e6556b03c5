package io.ensemblescope.metrics.evaluation;

/**
 * Caps on what one evaluation may hold, so no client can exhaust the service's memory: members k (the disagreement
 * matrix is k×k), splits, and samples (about 30 bytes each are kept for the ranking metrics).
 */
public record EvaluationLimits(int maxMembers, int maxSplits, long maxSamples) {
    public static final EvaluationLimits DEFAULT = new EvaluationLimits(256, 64, 20_000_000L);

    public EvaluationLimits {
        if (maxMembers < 1 || maxSplits < 1 || maxSamples < 1 || maxSamples > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limits: members, splits and samples must be >= 1 (samples < 2^31), got "
                    + maxMembers + ", " + maxSplits + ", " + maxSamples);
        }
    }
}
