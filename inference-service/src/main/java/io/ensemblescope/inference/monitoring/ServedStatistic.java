package io.ensemblescope.inference.monitoring;

import io.ensemblescope.metrics.math.SampleStatistics;
import java.util.Arrays;

/**
 * The four per-sample statistics monitored on served traffic, each with fixed histogram buckets (upper bounds, a
 * value v falls in the first bucket with v ≤ bound, Prometheus' {@code le}; one more bucket, +Inf, follows). The same
 * buckets are the bins of the population stability index, so a reference profile and a live window bin alike.
 */
public enum ServedStatistic {
    /** H(p̄) in nats, in [0, ln C]. */
    PREDICTIVE_ENTROPY("predictive_entropy", "inference.uncertainty.predictive.entropy", "nats",
            "Predictive entropy H(mean p) of served samples", Buckets.NATS),
    /** Mutual information (the generalized Jensen–Shannon divergence of the members) in nats; 0 for one member. */
    MUTUAL_INFORMATION("mutual_information", "inference.uncertainty.mutual.information", "nats",
            "Mutual information (member JSD) of served samples", Buckets.NATS),
    /** Share of member pairs whose argmax differs, in [0, 1]; 0 for one member. */
    DISAGREEMENT("disagreement", "inference.uncertainty.disagreement", "ratio",
            "Share of member pairs disagreeing on the top class, per served sample",
            new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}),
    /** Top-label confidence max_c p̄_c, in [1/C, 1]. */
    MAX_PROBABILITY("max_probability", "inference.uncertainty.max.probability", "ratio",
            "Top-label confidence max mean p of served samples",
            new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0});

    private final String label;
    private final String meterName;
    private final String unit;
    private final String description;
    private final double[] bounds;

    ServedStatistic(String label, String meterName, String unit, String description, double[] bounds) {
        this.label = label;
        this.meterName = meterName;
        this.unit = unit;
        this.description = description;
        this.bounds = bounds;
    }

    /** The value of the {@code statistic} label and the profile's key. */
    public String label() {
        return label;
    }

    String meterName() {
        return meterName;
    }

    String unit() {
        return unit;
    }

    String description() {
        return description;
    }

    /** The buckets' upper bounds (a copy), +Inf excluded. */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Number of bins including +Inf. */
    public int bins() {
        return bounds.length + 1;
    }

    /** The bin of {@code v}: the first bound ≥ v, or the +Inf bin. */
    public int binOf(double v) {
        int i = Arrays.binarySearch(bounds, v);
        return i >= 0 ? i : -i - 1;
    }

    /** This statistic of sample {@code j}. */
    public double of(SampleStatistics s, int j) {
        return switch (this) {
            case PREDICTIVE_ENTROPY -> s.predictiveEntropy(j);
            case MUTUAL_INFORMATION -> s.mutualInformation(j);
            case DISAGREEMENT -> s.disagreement(j);
            case MAX_PROBABILITY -> s.maxProbability(j);
        };
    }

    public static ServedStatistic byLabel(String label) {
        for (ServedStatistic s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("statistic: unknown '" + label + "'");
    }

    private static final class Buckets {
        /** Log-spaced below 0.1 nat (confident samples, ensemble MI on clean data), linear-ish up to ln 1000. */
        static final double[] NATS = {1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0};
    }
}
