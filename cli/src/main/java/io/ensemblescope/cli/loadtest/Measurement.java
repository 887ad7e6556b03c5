package io.ensemblescope.cli.loadtest;

/**
 * How one run is measured, after perf_analyzer: a warm-up that is not recorded, then measurement windows repeated
 * until the last {@code stableWindows} agree — each one's p50 latency and throughput within {@code tolerance} of
 * their mean — or {@code maxWindows} have run. Requests still in flight at the end are waited for up to
 * {@code drainNanos}, then cancelled.
 */
public record Measurement(long warmupNanos, long windowNanos, int maxWindows, int stableWindows, double tolerance,
                          long drainNanos) {
    public Measurement {
        if (warmupNanos < 0 || windowNanos <= 0 || drainNanos < 0) {
            throw new IllegalArgumentException("warm-up, window and drain must be positive");
        }
        if (stableWindows < 1 || maxWindows < stableWindows) {
            throw new IllegalArgumentException("need 1 <= stable windows <= max windows, got " + stableWindows
                    + " and " + maxWindows);
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("stability tolerance must be > 0, got " + tolerance);
        }
    }

    /** Longest a run can take, drain excluded. */
    public long maxNanos() {
        return warmupNanos + maxWindows * windowNanos;
    }

    /** Shortest a run can take. */
    public long minNanos() {
        return warmupNanos + stableWindows * windowNanos;
    }
}
