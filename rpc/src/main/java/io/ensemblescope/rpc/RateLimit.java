package io.ensemblescope.rpc;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At most {@code permits} events per window; the events refused in between are counted so the next permitted line can
 * say how many were left out. A flood of bad requests then costs a few log lines per window, not one per request.
 */
final class RateLimit {
    private final int permits;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private int used;
    private long suppressed;

    RateLimit(int permits, long window, TimeUnit unit, LongSupplier clock) {
        this.permits = permits;
        this.windowNanos = unit.toNanos(window);
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /**
     * Whether this event may be logged; when it may, returns the number refused since the last permitted one (≥ 0),
     * else -1.
     */
    synchronized long acquire() {
        long now = clock.getAsLong();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            used = 0;
        }
        if (used >= permits) {
            suppressed++;
            return -1;
        }
        used++;
        long skipped = suppressed;
        suppressed = 0;
        return skipped;
    }
}
