package io.ensemblescope.inference.monitoring;

import io.ensemblescope.metrics.math.SampleStatistics;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the served statistics of an evaluation split, batch by batch, and turns them into a
 * {@link ReferenceProfile}: bucket counts over every sample and {@value #QUANTILES} evenly spaced order statistics.
 */
public final class ReferenceProfileBuilder {
    /** Order statistics kept per statistic; the KS statistic against them is within 1/2048 of the exact one. */
    static final int QUANTILES = 2048;

    private final Map<ServedStatistic, double[]> values = new EnumMap<>(ServedStatistic.class);
    private int size;
    private int members;

    public ReferenceProfileBuilder() {
        for (ServedStatistic s : ServedStatistic.values()) {
            values.put(s, new double[1024]);
        }
    }

    /** Adds one batch's samples. */
    public void add(SampleStatistics batch) {
        members = Math.max(members, batch.members());
        for (int j = 0; j < batch.size(); j++) {
            for (ServedStatistic s : ServedStatistic.values()) {
                double[] a = values.get(s);
                if (size == a.length) {
                    a = Arrays.copyOf(a, a.length * 2);
                    values.put(s, a);
                }
                a[size] = s.of(batch, j);
            }
            size++;
        }
    }

    public int size() {
        return size;
    }

    /**
     * @param manifestSha256 {@link ReferenceProfiles#manifestSha256} of the version profiled
     * @param dataset the data profiled, in words
     */
    public ReferenceProfile build(String model, String version, String manifestSha256, String method,
                                  String dataset) {
        if (size == 0) {
            throw new IllegalStateException("no samples to profile");
        }
        Map<String, ReferenceProfile.Distribution> out = new LinkedHashMap<>();
        for (ServedStatistic s : ServedStatistic.values()) {
            double[] sorted = Arrays.copyOf(values.get(s), size);
            Arrays.sort(sorted);
            long[] counts = new long[s.bins()];
            for (double v : sorted) {
                counts[s.binOf(v)]++;
            }
            out.put(s.label(), new ReferenceProfile.Distribution(s.bounds(), counts, quantiles(sorted)));
        }
        return new ReferenceProfile(ReferenceProfile.FORMAT_VERSION, model, version, manifestSha256, method,
                members, dataset, size, Instant.now().toString(), out);
    }

    /** Q = min(n, QUANTILES) mid-rank order statistics: all of them when n ≤ Q. */
    static double[] quantiles(double[] sorted) {
        int n = sorted.length;
        int q = Math.min(n, QUANTILES);
        double[] out = new double[q];
        for (int i = 0; i < q; i++) {
            out[i] = sorted[(int) ((2L * i + 1) * n / (2L * q))];
        }
        return out;
    }
}
