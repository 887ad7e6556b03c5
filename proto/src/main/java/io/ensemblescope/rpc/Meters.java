package io.ensemblescope.rpc;

import io.micrometer.core.instrument.Gauge;
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

/** A Prometheus registry with the JVM and process meters every service exposes. */
public final class Meters {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private Meters() {}

    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service).meterFilter(PrometheusNaming.FILTER);
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
