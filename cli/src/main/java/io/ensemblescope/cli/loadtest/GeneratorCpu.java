package io.ensemblescope.cli.loadtest;

import io.ensemblescope.reports.load.ClientCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the load generator's own threads (named {@value #PREFIX}…: the open loop's scheduler and the client
 * connections' event loops, where answers are handled and the next requests sent) and of the whole process.
 */
final class GeneratorCpu {
    static final String PREFIX = "escope-loadgen";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds per generator thread id, the process's CPU nanoseconds, and when. */
    record Snapshot(Map<Long, Long> threads, long process, long at) {}

    private GeneratorCpu() {}

    static Snapshot take() {
        Map<Long, Long> cpu = new HashMap<>();
        if (THREADS.isThreadCpuTimeSupported()) {
            for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (t != null && t.getThreadName().startsWith(PREFIX)) {
                    long ns = THREADS.getThreadCpuTime(t.getThreadId());
                    if (ns >= 0) {
                        cpu.put(t.getThreadId(), ns);
                    }
                }
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
        return new Snapshot(cpu, process, System.nanoTime());
    }

    /** Cores used between two snapshots (threads started in between count from zero). */
    static ClientCpu between(Snapshot a, Snapshot b) {
        double wall = Math.max(1, b.at() - a.at());
        long total = 0;
        long busiest = 0;
        for (Map.Entry<Long, Long> e : b.threads().entrySet()) {
            long used = e.getValue() - a.threads().getOrDefault(e.getKey(), 0L);
            total += used;
            busiest = Math.max(busiest, used);
        }
        double process = a.process() < 0 || b.process() < 0 ? Double.NaN : (b.process() - a.process()) / wall;
        return new ClientCpu(total / wall, busiest / wall, process);
    }
}
