package io.ensemblescope.inference.monitoring;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The four statistics' histograms, labelled by model and method, with each statistic's fixed buckets. They use the
 * Prometheus client under the Micrometer registry directly: Micrometer's distribution summaries round a fractional
 * value up to the next integer before bucketing, which would put every entropy, disagreement and probability below 1
 * into one bucket.
 */
final class ServedHistograms {
    private final Map<ServedStatistic, Histogram> histograms = new EnumMap<>(ServedStatistic.class);

    ServedHistograms(PrometheusRegistry registry) {
        for (ServedStatistic s : ServedStatistic.values()) {
            histograms.put(s, Histogram.builder().name(s.meterName().replace('.', '_') + "_" + s.unit())
                    .help(s.description() + " (" + s.unit() + ")").labelNames("model", "method")
                    .classicUpperBounds(s.bounds()).classicOnly().withoutExemplars().register(registry));
        }
    }

    /** One model's four histograms, indexed by {@link ServedStatistic#ordinal()}. */
    DistributionDataPoint[] of(String model, String method) {
        DistributionDataPoint[] out = new DistributionDataPoint[ServedStatistic.values().length];
        for (ServedStatistic s : ServedStatistic.values()) {
            out[s.ordinal()] = histograms.get(s).labelValues(model, method);
        }
        return out;
    }

    /** Drops one model's series. */
    void remove(String model, String method) {
        histograms.values().forEach(h -> h.remove(model, method));
    }
}
