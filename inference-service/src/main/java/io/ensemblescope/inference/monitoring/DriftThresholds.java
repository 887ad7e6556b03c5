package io.ensemblescope.inference.monitoring;

/**
 * The documented drift thresholds (docs/INFERENCE.md; the chart's example alerts use the same numbers).
 */
public final class DriftThresholds {
    /** PSI above this is a significant shift (the credit-scoring rule of thumb; 0.1–0.25 is "moderate"). */
    public static final double PSI = 0.25;
    /**
     * KS above this is drift: with the default window of 1,000 samples and a reference of 5,000 or more, chance
     * alone exceeds 0.068 with probability 0.1 % (two-sample critical value 1.95·√((n + m)/(n·m))).
     */
    public static final double KS = 0.1;

    private DriftThresholds() {}
}
