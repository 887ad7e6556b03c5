package io.ensemblescope.inference.monitoring;

import io.ensemblescope.metrics.math.SampleStatistics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The four statistics' histograms, labelled by model and method, with each statistic's fixed buckets, exported as
 * Prometheus classic histograms. A served batch is counted under one lock per model (bucket counts and sums in
 * plain arrays) instead of 4·B separate observations, and the exposition is built when scraped. Not a Micrometer
 * distribution summary: those round a fractional value up to the next integer before bucketing, which would put every
 * entropy, disagreement and probability below 1 into one bucket.
 */
final class ServedHistograms implements MultiCollector {
    private static final ServedStatistic[] STATS = ServedStatistic.values();

    /** One model's bucket counts (per statistic, +Inf last, not cumulative) and sums; guarded by itself. */
    static final class Counts {
        private final long[][] buckets = new long[STATS.length][];
        private final double[] sums = new double[STATS.length];

        Counts() {
            for (ServedStatistic s : STATS) {
                buckets[s.ordinal()] = new long[s.bins()];
            }
        }

        synchronized void add(SampleStatistics batch) {
            for (ServedStatistic s : STATS) {
                long[] b = buckets[s.ordinal()];
                double sum = 0;
                for (int j = 0; j < batch.size(); j++) {
                    double v = s.of(batch, j);
                    b[s.binOf(v)]++;
                    sum += v;
                }
                sums[s.ordinal()] += sum;
            }
        }

        private synchronized long[] buckets(ServedStatistic s) {
            return buckets[s.ordinal()].clone();
        }

        private synchronized double sum(ServedStatistic s) {
            return sums[s.ordinal()];
        }
    }

    private final Map<List<String>, Counts> models = new ConcurrentHashMap<>();

    /** The counts of one model, fresh (zero) when it was not counted yet. */
    Counts of(String model, String method) {
        return models.computeIfAbsent(List.of(model, method), k -> new Counts());
    }

    /** Drops one model's series. */
    void remove(String model, String method) {
        models.remove(List.of(model, method));
    }

    static String name(ServedStatistic s) {
        return s.meterName().replace('.', '_') + "_" + s.unit();
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        for (ServedStatistic s : STATS) {
            double[] bounds = Arrays.copyOf(s.bounds(), s.bins());
            bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
            List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
            models.forEach((key, counts) -> {
                double sum;
                long[] b;
                synchronized (counts) {
                    b = counts.buckets(s);
                    sum = counts.sum(s);
                }
                points.add(new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, b), sum,
                        Labels.of("model", key.get(0), "method", key.get(1)), Exemplars.EMPTY, 0L));
            });
            out.add(new HistogramSnapshot(new MetricMetadata(name(s), s.description() + " (" + s.unit() + ")"),
                    points));
        }
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return Arrays.stream(STATS).map(ServedHistograms::name).toList();
    }
}
