package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.Timings;
import io.grpc.Status;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Records every request of a run into the current interval; {@link #interval} closes it and starts the next. Any
 * number of transport threads record at once without locks; closing an interval waits (HdrHistogram's
 * WriterReaderPhaser) until records already begun have landed, so each request is counted in exactly one interval.
 */
final class Recording {
    /** Most latencies kept per interval when raw values are asked for. */
    static final int RAW_LIMIT = 1 << 22;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final boolean keepRaw;
    private volatile Active active;

    /** @param keepRaw also keep every latency as recorded (for exact percentile checks and --record-latencies) */
    Recording(boolean keepRaw) {
        this.keepRaw = keepRaw;
        this.active = new Active(System.nanoTime(), keepRaw);
    }

    /** The generator sent a request due at {@code intended} at {@code sent}. */
    void sent(long intended, long sent) {
        long phase = phaser.writerCriticalSectionEnter();
        try {
            Active a = active;
            a.sent.increment();
            a.sendLag.recordValue(clamp(sent - intended, Interval.HIGHEST_NANOS));
        } finally {
            phaser.writerCriticalSectionExit(phase);
        }
    }

    /** A request due at {@code intended}, sent at {@code sent}, ended at {@code done} with {@code status}. */
    void completed(long intended, long sent, long done, Timings timings, Status status) {
        long phase = phaser.writerCriticalSectionEnter();
        try {
            Active a = active;
            if (!status.isOk()) {
                a.errors.computeIfAbsent(status.getCode().name(), c -> new LongAdder()).increment();
                return;
            }
            long latency = clamp(done - intended, Interval.HIGHEST_NANOS);
            long service = clamp(done - sent, Interval.HIGHEST_NANOS);
            a.latency.recordValue(latency);
            a.service.recordValue(service);
            if (timings != null) {
                a.queue.recordValue(clamp(timings.getQueueMicros(), Interval.HIGHEST_MICROS));
                a.compute.recordValue(clamp(timings.getComputeMicros(), Interval.HIGHEST_MICROS));
                a.serverTotal.recordValue(clamp(timings.getTotalMicros(), Interval.HIGHEST_MICROS));
                a.transport.recordValue(clamp(service / 1000 - timings.getTotalMicros(), Interval.HIGHEST_MICROS));
            }
            if (keepRaw) {
                a.keep(latency);
            }
        } finally {
            phaser.writerCriticalSectionExit(phase);
        }
    }

    /** Closes the current interval at now and starts the next. */
    Interval interval() {
        phaser.readerLock();
        try {
            Active closing = active;
            long now = System.nanoTime();
            active = new Active(now, keepRaw);
            phaser.flipPhase();
            return closing.close(now);
        } finally {
            phaser.readerUnlock();
        }
    }

    private static long clamp(long v, long highest) {
        return Math.max(0, Math.min(v, highest));
    }

    /** The interval being recorded. */
    private static final class Active {
        final long start;
        final Histogram latency = new ConcurrentHistogram(Interval.HIGHEST_NANOS, 3);
        final Histogram service = new ConcurrentHistogram(Interval.HIGHEST_NANOS, 3);
        final Histogram queue = new ConcurrentHistogram(Interval.HIGHEST_MICROS, 3);
        final Histogram compute = new ConcurrentHistogram(Interval.HIGHEST_MICROS, 3);
        final Histogram serverTotal = new ConcurrentHistogram(Interval.HIGHEST_MICROS, 3);
        final Histogram transport = new ConcurrentHistogram(Interval.HIGHEST_MICROS, 3);
        final Histogram sendLag = new ConcurrentHistogram(Interval.HIGHEST_NANOS, 3);
        final LongAdder sent = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private long[] raw;
        private int rawCount;

        Active(long start, boolean keepRaw) {
            this.start = start;
            this.raw = keepRaw ? new long[1024] : null;
        }

        synchronized void keep(long latency) {
            if (rawCount == RAW_LIMIT) {
                return;
            }
            if (rawCount == raw.length) {
                raw = Arrays.copyOf(raw, Math.min(RAW_LIMIT, raw.length * 2));
            }
            raw[rawCount++] = latency;
        }

        Interval close(long end) {
            Map<String, Long> counts = new java.util.HashMap<>();
            errors.forEach((k, v) -> counts.put(k, v.sum()));
            return new Interval(start, end, latency, service, queue, compute, serverTotal, transport, sendLag,
                    sent.sum(), Map.copyOf(counts), raw == null ? null : Arrays.copyOf(raw, rawCount));
        }
    }
}
