package io.ensemblescope.inference.serving;

import io.ensemblescope.rpc.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The serving core's meters: requests and failures by model, method and reason; queue, compute and total latency
 * histograms with the services' fixed buckets (Meters.LATENCY_BUCKETS); coalesced batch sizes; calls in flight; models loaded.
 */
public final class ServingMetrics {
    /** The services' latency buckets (50 µs … 30 min), shared so dashboards aggregate every timer alike. */
    static final Duration[] LATENCY_BUCKETS = Meters.LATENCY_BUCKETS;
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("inference.in.flight", inFlight, AtomicInteger::get)
                .description("Prediction calls received and not yet answered").register(registry);
    }

    void bindLoadedModels(Supplier<Number> loaded) {
        Gauge.builder("inference.models.loaded", loaded).description("Models loaded and serving")
                .register(registry);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void succeeded(String model, String method, Prediction p) {
        inFlight.decrementAndGet();
        requests(model, method).increment();
        latency("inference.queue", "Time waiting in the dynamic batcher", model, method)
                .record(p.queueMicros(), TimeUnit.MICROSECONDS);
        latency("inference.compute", "Time in the forward pass(es)", model, method)
                .record(p.computeMicros(), TimeUnit.MICROSECONDS);
        latency("inference.total", "Time from receipt to answer", model, method)
                .record(p.totalMicros(), TimeUnit.MICROSECONDS);
        DistributionSummary.builder("inference.members").description("Members returned per call (k, or T samples)")
                .tags("model", model, "method", method).register(registry).record(p.members());
    }

    void failed(String model, String method, Throwable t) {
        inFlight.decrementAndGet();
        requests(model, method).increment();
        Counter.builder("inference.failures").description("Prediction calls that failed, by reason")
                .tags("model", model, "method", method, "reason", FailureReason.of(t)).register(registry)
                .increment();
    }

    void batch(String model, String method, int samples) {
        DistributionSummary.builder("inference.batch.size").description("Samples per forward (coalesced batch)")
                .baseUnit("samples").serviceLevelObjectives(BATCH_BUCKETS).tags("model", model, "method", method)
                .register(registry).record(samples);
    }

    private Counter requests(String model, String method) {
        return Counter.builder("inference.requests").description("Prediction calls answered or failed")
                .tags("model", model, "method", method).register(registry);
    }

    private Timer latency(String name, String description, String model, String method) {
        return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(LATENCY_BUCKETS[0])
                .maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1])
                .tags("model", model, "method", method).register(registry);
    }
}
