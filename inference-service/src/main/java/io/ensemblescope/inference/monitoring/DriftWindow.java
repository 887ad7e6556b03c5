package io.ensemblescope.inference.monitoring;

import io.ensemblescope.metrics.math.KolmogorovSmirnov;
import io.ensemblescope.metrics.math.PopulationStabilityIndex;
import io.ensemblescope.metrics.math.SampleStatistics;
import java.util.Arrays;

/**
 * The last {@code capacity} served samples' statistics (a ring per statistic) and their drift from a reference
 * profile: the population stability index over the statistic's buckets and the two-sample Kolmogorov–Smirnov
 * statistic against the profile's quantiles. Both are NaN until the window is full, so a handful of samples never
 * reads as drift.
 */
final class DriftWindow {
    private static final ServedStatistic[] STATS = ServedStatistic.values();
    private final int capacity;
    private final double[][] rings = new double[STATS.length][];
    private long added;

    DriftWindow(int capacity) {
        this.capacity = capacity;
        for (int s = 0; s < rings.length; s++) {
            rings[s] = new double[capacity];
        }
    }

    synchronized void add(SampleStatistics batch) {
        for (int j = 0; j < batch.size(); j++) {
            int at = (int) (added % capacity);
            for (ServedStatistic s : STATS) {
                rings[s.ordinal()][at] = s.of(batch, j);
            }
            added++;
        }
    }

    synchronized int size() {
        return (int) Math.min(added, capacity);
    }

    /** The window's values of {@code s}, sorted; null until the window is full. */
    private double[] fullWindow(ServedStatistic s) {
        double[] copy;
        synchronized (this) {
            if (added < capacity) {
                return null;
            }
            copy = rings[s.ordinal()].clone();
        }
        Arrays.sort(copy);
        return copy;
    }

    double psi(ServedStatistic s, ReferenceProfile.Distribution reference) {
        double[] window = fullWindow(s);
        if (window == null) {
            return Double.NaN;
        }
        long[] counts = new long[s.bins()];
        for (double v : window) {
            counts[s.binOf(v)]++;
        }
        return PopulationStabilityIndex.of(reference.bucketCounts(), counts);
    }

    double ks(ServedStatistic s, ReferenceProfile.Distribution reference) {
        double[] window = fullWindow(s);
        return window == null ? Double.NaN : KolmogorovSmirnov.statistic(window, reference.quantiles());
    }
}
