package io.ensemblescope.rpc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus registry with the JVM and process meters every service exposes. Every timer is exported as a histogram
 * with the fixed buckets {@link #LATENCY_BUCKETS}, so percentiles aggregate across pods ({@code histogram_quantile}
 * over summed {@code _bucket} rates); a client-side summary could not be aggregated.
 */
public final class Meters {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    /** Latency bucket bounds, 50 µs … 30 min, roughly 1-2.5-5 per decade (requests at the low end, epochs at the top). */
    public static final Duration[] LATENCY_BUCKETS = {
        micros(50), micros(100), micros(250), micros(500), micros(1_000), micros(2_500), micros(5_000),
        micros(10_000), micros(25_000), micros(50_000), micros(100_000), micros(250_000), micros(500_000),
        seconds(1), seconds(2.5), seconds(5), seconds(10), seconds(30), seconds(60), seconds(120), seconds(300),
        seconds(600), seconds(1800)};

    /** Gives every timer that sets no buckets of its own the {@link #LATENCY_BUCKETS}. */
    static final MeterFilter LATENCY_HISTOGRAMS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            double[] own = config.getServiceLevelObjectiveBoundaries();
            if (id.getType() != Meter.Type.TIMER || (own != null && own.length > 0)) {
                return config;
            }
            return DistributionStatisticConfig.builder()
                    .serviceLevelObjectives(Arrays.stream(LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray())
                    .build().merge(config);
        }
    };

    /**
     * Keeps the exposition clean for {@code promtool check metrics}: snake_case label names (Micrometer's gRPC meters
     * use camelCase), no abbreviated units (process CPU time in ns is dropped; process.cpu.usage stays), no
     * {@code _count} suffix on a gauge. Micrometer's gRPC meters name the gRPC service in a {@code service} tag, which
     * would override the common {@code service} tag (the EnsembleScope service); it becomes {@code grpc_service}.
     */
    static final MeterFilter PROMTOOL_CLEAN = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            List<Tag> tags = new ArrayList<>();
            boolean grpc = id.getName().startsWith("grpc.");
            for (Tag t : id.getTagsAsIterable()) {
                String key = grpc && t.getKey().equals("service") ? "grpc_service" : snakeCase(t.getKey());
                tags.add(Tag.of(key, t.getValue()));
            }
            Meter.Id mapped = id.replaceTags(tags);
            return id.getName().equals("system.cpu.count") ? mapped.withName("system.cpus") : mapped;
        }
    };

    private Meters() {}

    private static Duration micros(long us) {
        return Duration.ofNanos(us * 1_000);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    static String snakeCase(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(PROMTOOL_CLEAN).meterFilter(LATENCY_HISTOGRAMS).commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        bindResidentMemory(registry);
        return registry;
    }

    /**
     * Resident set size of the process: the JVM meters miss the native memory PyTorch allocates, and that is the
     * memory that matters for a model server.
     */
    static void bindResidentMemory(MeterRegistry registry) {
        if (Files.isReadable(PROC_STATUS)) {
            Gauge.builder("process_resident_memory", Meters::residentBytes)
                    .baseUnit("bytes")
                    .description("Resident set size of the process (JVM heap plus native allocations)")
                    .register(registry);
        }
    }

    /** VmRSS of this process in bytes, or NaN where /proc is absent. */
    public static double residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Double.parseDouble(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
