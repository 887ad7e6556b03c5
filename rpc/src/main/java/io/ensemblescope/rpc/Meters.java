package io.ensemblescope.rpc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
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
import java.util.ArrayList;
import java.util.List;

/** A Prometheus registry with the JVM and process meters every service exposes. */
public final class Meters {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

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

    static String snakeCase(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(PROMTOOL_CLEAN).commonTags("service", service);
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
