package io.ensemblescope.cli.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Latencies of one configuration over every round (HdrHistogram), one closed-loop caller. */
final class LatencyMeter {
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);

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
        long t0 = System.nanoTime();
        call.run();
        latency.recordValue(System.nanoTime() - t0);
    }

    double p50Micros() {
        return latency.getValueAtPercentile(50) / 1e3;
    }

    double p99Micros() {
        return latency.getValueAtPercentile(99) / 1e3;
    }
}
