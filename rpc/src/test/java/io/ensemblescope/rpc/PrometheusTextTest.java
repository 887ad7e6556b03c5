package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Samples read back from a real Micrometer exposition equal what was recorded. */
class PrometheusTextTest {
    @Test
    void readsCountersGaugesHistogramsAndEscapedLabels() {
        PrometheusMeterRegistry registry = Meters.newRegistry("test");
        Counter.builder("demo.requests").tags("model", "a\"b\\c").register(registry).increment(3);
        Gauge.builder("demo.drift", () -> Double.NaN).tags("model", "m").register(registry);
        // Integer values: Micrometer's summaries round fractional values up before bucketing.
        DistributionSummary h = DistributionSummary.builder("demo.entropy").baseUnit("nats")
                .serviceLevelObjectives(1, 10).tags("model", "m").register(registry);
        h.record(1);
        h.record(7);
        h.record(50);
        PrometheusText text = PrometheusText.parse(registry.scrape());
        assertEquals(3.0, text.value("demo_requests_total", "model", "a\"b\\c").orElseThrow());
        assertTrue(text.value("demo_drift", "model", "m").orElseThrow().isNaN());
        assertEquals(1.0, text.value("demo_entropy_nats_bucket", "model", "m", "le", "1.0").orElseThrow());
        assertEquals(2.0, text.value("demo_entropy_nats_bucket", "model", "m", "le", "10.0").orElseThrow());
        assertEquals(3.0, text.value("demo_entropy_nats_bucket", "model", "m", "le", "+Inf").orElseThrow());
        assertEquals(58.0, text.value("demo_entropy_nats_sum", "model", "m").orElseThrow(), 1e-12);
        assertEquals("test", text.find("demo_entropy_nats_count").get(0).label("service"));
        assertTrue(text.value("absent_metric").isEmpty());
    }
}
