package io.ensemblescope.cli.loadtest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What was recorded between two instants: latency from the intended send (ns), service time from the actual send
 * (ns), the server's queue, compute and total time and the transport time (µs), the generator's send lag (ns),
 * requests sent, failures by status code, and optionally every latency as recorded (for exact checks).
 */
record Interval(long startNanos, long endNanos, Histogram latency, Histogram service, Histogram queue,
                Histogram compute, Histogram serverTotal, Histogram transport, Histogram sendLag, long sent,
                Map<String, Long> errors, long[] raw) {
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    static final long HIGHEST_MICROS = 3_600_000_000L;

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** Successful requests answered in the interval. */
    long completed() {
        return latency.getTotalCount();
    }

    /** Completed requests per second; 0 for an empty interval. */
    double throughput() {
        return seconds() > 0 ? completed() / seconds() : 0;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The intervals as one: histograms, counts and raw values added; it spans the first one's start to the last one's
     * end (callers that add a drain interval compute throughput from the windows alone).
     */
    static Interval merge(List<Interval> parts) {
        Interval first = parts.get(0);
        Histogram[] h = {empty(HIGHEST_NANOS), empty(HIGHEST_NANOS), empty(HIGHEST_MICROS), empty(HIGHEST_MICROS),
            empty(HIGHEST_MICROS), empty(HIGHEST_MICROS), empty(HIGHEST_NANOS)};
        Map<String, Long> errors = new HashMap<>();
        long sent = 0;
        int rawLength = 0;
        for (Interval p : parts) {
            h[0].add(p.latency);
            h[1].add(p.service);
            h[2].add(p.queue);
            h[3].add(p.compute);
            h[4].add(p.serverTotal);
            h[5].add(p.transport);
            h[6].add(p.sendLag);
            sent += p.sent;
            p.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            rawLength += p.raw == null ? 0 : p.raw.length;
        }
        long[] raw = first.raw == null ? null : new long[rawLength];
        if (raw != null) {
            int at = 0;
            for (Interval p : parts) {
                System.arraycopy(p.raw, 0, raw, at, p.raw.length);
                at += p.raw.length;
            }
        }
        return new Interval(first.startNanos, parts.get(parts.size() - 1).endNanos, h[0], h[1], h[2], h[3], h[4],
                h[5], h[6], sent, Map.copyOf(errors), raw);
    }

    static Histogram empty(long highest) {
        return new Histogram(highest, 3);
    }
}
