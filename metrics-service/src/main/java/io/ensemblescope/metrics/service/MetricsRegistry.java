package io.ensemblescope.metrics.service;

import io.ensemblescope.rpc.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The metrics service's registry: the shared one from {@link Meters}, made to pass `promtool check metrics` — gRPC
 * meters' camelCase tag keys become snake_case, and the process CPU time counter, which Micrometer exports in
 * nanoseconds as process_cpu_time_ns_total (promtool rejects abbreviated units), is exported in seconds as
 * process_cpu_seconds_total, the name Prometheus client libraries use; system_cpu_count (a gauge, which promtool
 * may not see ending in _count) becomes system_cpus.
 */
public final class MetricsRegistry {
    private MetricsRegistry() {}

    public static PrometheusMeterRegistry create(String service) {
        PrometheusMeterRegistry registry = Meters.newRegistry(service);
        registry.config().meterFilter(new SnakeCaseTags());
        Meter nanos = registry.find("process.cpu.time").meter();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (nanos != null && os instanceof com.sun.management.OperatingSystemMXBean sun) {
            registry.remove(nanos);
            FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the process")
                    .register(registry);
        }
        Meter cpus = registry.find("system.cpu.count").meter();
        if (cpus != null) {
            registry.remove(cpus);
            Gauge.builder("system.cpus", Runtime.getRuntime(), Runtime::availableProcessors)
                    .description("Processors available to the JVM")
                    .register(registry);
        }
        return registry;
    }
}
