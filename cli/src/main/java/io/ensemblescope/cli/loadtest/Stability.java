package io.ensemblescope.cli.loadtest;

import java.util.List;

/**
 * perf_analyzer's stability rule: the last windows are stable when each one's p50 latency and throughput lie within
 * the tolerance of those windows' mean. A window without a successful request is never stable.
 */
final class Stability {
    private Stability() {}

    static boolean stable(List<Interval> windows, double tolerance) {
        if (windows.stream().anyMatch(w -> w.completed() == 0)) {
            return false;
        }
        double[] p50 = windows.stream().mapToDouble(w -> w.latency().getValueAtPercentile(50)).toArray();
        double[] throughput = windows.stream().mapToDouble(Interval::throughput).toArray();
        return within(p50, tolerance) && within(throughput, tolerance);
    }

    static boolean within(double[] values, double tolerance) {
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        for (double v : values) {
            if (Math.abs(v - mean) > tolerance * mean) {
                return false;
            }
        }
        return true;
    }
}
