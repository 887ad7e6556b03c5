package io.ensemblescope.cli.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latencies of one configuration over every round (HdrHistogram), one closed-loop caller, and the CPU time the whole
 * process spent per call (client, server and engine threads together): wall time beyond it is time spent waiting for
 * threads to be scheduled.
 */
final class LatencyMeter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
    private long cpuNanos;
    private long calls;

    /** A timed call; it returns only once its answer is on the host, so device work is synchronised. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    void warmUp(Call call) throws Exception {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
    }

    void time(Call call) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        call.run();
        latency.recordValue(System.nanoTime() - t0);
        cpuNanos += OS.getProcessCpuTime() - cpu;
        calls++;
    }

    /** Mean process CPU time per call, µs. */
    double cpuMicros() {
        return calls == 0 ? 0 : cpuNanos / 1e3 / calls;
    }

    double p50Micros() {
        return latency.getValueAtPercentile(50) / 1e3;
    }

    double p99Micros() {
        return latency.getValueAtPercentile(99) / 1e3;
    }
}
