package io.ensemblescope.inference.monitoring;

import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.metrics.math.SampleStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Monitoring of one serving version: the four statistics' histograms, the drift window against the version's
 * reference profile (when it has one), the predictions held for outcomes and the rolling calibration window. Its
 * meters carry the model's name and method only, and are removed when the version stops serving, so the series a
 * server exports are bounded by the models it has loaded.
 */
final class ModelMonitor {
    private final String name;
    private final String version;
    private final String method;
    private final MeterRegistry registry;
    private final ServedHistograms served;
    private final ReferenceProfile reference;
    private final DriftWindow drift;
    private final CalibrationWindow calibration;
    private final PendingPredictions pending;
    private final Object pendingLock;
    private final ServedHistograms.Counts histograms;
    private final Counter labeled;
    private final Counter skipped;
    private final List<Meter> meters = new ArrayList<>();

    /**
     * @param reference the version's profile, or null
     * @param pendingLock guards {@link #pending()} (shared by every model so outcomes are applied atomically)
     */
    ModelMonitor(Manifest m, ReferenceProfile reference, MonitoringOptions options, MeterRegistry registry,
                 ServedHistograms served, Object pendingLock) {
        this.name = m.name();
        this.version = m.version();
        this.method = m.network().method().name();
        this.registry = registry;
        this.served = served;
        this.histograms = served.of(name, method);
        this.reference = reference;
        this.pendingLock = pendingLock;
        this.drift = new DriftWindow(options.driftWindow());
        this.calibration = new CalibrationWindow(options.outcomeWindow());
        this.pending = new PendingPredictions(options.pendingFloats(), options.pendingRequests());
        Tags tags = Tags.of("model", name, "method", method);
        gauge("inference.drift.window.samples", "Served samples in the drift window", tags, drift,
                DriftWindow::size);
        gauge("inference.drift.reference.samples", "Samples of the reference profile (0: none loaded)", tags,
                this, x -> reference == null ? 0 : reference.samples());
        if (reference != null) {
            for (ServedStatistic s : ServedStatistic.values()) {
                ReferenceProfile.Distribution d = reference.of(s);
                Tags st = tags.and("statistic", s.label());
                gauge("inference.drift.psi", "Population stability index of the drift window vs the reference",
                        st, drift, w -> w.psi(s, d));
                gauge("inference.drift.ks", "Kolmogorov-Smirnov statistic of the drift window vs the reference",
                        st, drift, w -> w.ks(s, d));
            }
        }
        gauge("inference.outcomes.window.samples", "Labeled samples in the rolling calibration window", tags,
                calibration, CalibrationWindow::size);
        gauge("inference.outcomes.accuracy", "Rolling accuracy of the labeled window", tags, calibration,
                c -> c.rolling().accuracy());
        gauge("inference.outcomes.nll", "Rolling negative log-likelihood of the labeled window (nats)", tags,
                calibration, c -> c.rolling().nll());
        gauge("inference.outcomes.brier", "Rolling Brier score of the labeled window", tags, calibration,
                c -> c.rolling().brier());
        gauge("inference.outcomes.ece", "Rolling expected calibration error (15 bins) of the labeled window", tags,
                calibration, c -> c.rolling().ece());
        gauge("inference.outcomes.pending.requests", "Predictions held for their outcome", tags, this,
                x -> x.locked(PendingPredictions::size));
        add(FunctionCounter.builder("inference.outcomes.evicted", this, x -> x.locked(PendingPredictions::evicted))
                .description("Held predictions dropped unlabeled to stay within the budget").tags(tags)
                .register(registry));
        labeled = add(Counter.builder("inference.outcomes.samples").description("Labeled samples reported")
                .tags(tags).register(registry));
        skipped = add(Counter.builder("inference.uncertainty.skipped")
                .description("Served batches left out of monitoring (probabilities not finite or not summing to 1)")
                .tags(tags).register(registry));
    }

    String version() {
        return version;
    }

    /** Histograms every sample and slides it into the drift window. */
    void observe(SampleStatistics s) {
        histograms.add(s);
        drift.add(s);
    }

    void skipped() {
        skipped.increment();
    }

    /** Guarded by the pending lock. */
    PendingPredictions pending() {
        return pending;
    }

    /** Adds a labeled batch to the calibration window. */
    void label(SampleStatistics s, int[] labels) {
        calibration.add(s, labels);
        labeled.increment(s.size());
    }

    /** Removes every meter of this version. */
    void close() {
        served.remove(name, method);
        meters.forEach(registry::remove);
        meters.clear();
    }

    private double locked(ToDoubleFunction<PendingPredictions> f) {
        synchronized (pendingLock) {
            return f.applyAsDouble(pending);
        }
    }

    private <T> void gauge(String meter, String description, Tags tags, T obj, ToDoubleFunction<T> f) {
        add(Gauge.builder(meter, obj, f).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }
}
