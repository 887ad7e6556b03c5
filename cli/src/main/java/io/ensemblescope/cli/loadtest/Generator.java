package io.ensemblescope.cli.loadtest;

import io.ensemblescope.reports.load.ClientCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one load point: start the driver, discard the warm-up, close a window every {@code windowNanos} until the
 * stability rule holds or the window limit is reached, stop offering load, and wait for the requests in flight (then
 * cancel them). The windows are wall-clock periods of continuous load, not pauses between bursts.
 */
final class Generator {
    private final Measurement measurement;
    private final boolean keepRaw;

    Generator(Measurement measurement, boolean keepRaw) {
        this.measurement = measurement;
        this.keepRaw = keepRaw;
    }

    /**
     * @param windowDone called after every measurement window (for progress)
     */
    RunOutcome run(Driver driver, Sender sender, Consumer<Interval> windowDone) throws InterruptedException {
        Recording recording = new Recording(keepRaw);
        long start = System.nanoTime();
        List<Interval> windows = new ArrayList<>();
        boolean stable = false;
        GeneratorCpu.Snapshot cpuStart;
        GeneratorCpu.Snapshot cpuEnd;
        long notSent;
        Interval drain;
        try {
            driver.start(recording);
            sleepUntil(start + measurement.warmupNanos());
            recording.interval(); // the warm-up
            cpuStart = GeneratorCpu.take();
            long windowEnd = System.nanoTime();
            while (windows.size() < measurement.maxWindows() && !stable) {
                windowEnd += measurement.windowNanos();
                sleepUntil(windowEnd);
                Interval w = recording.interval();
                windows.add(w);
                windowDone.accept(w);
                stable = windows.size() >= measurement.stableWindows() && Stability.stable(last(windows),
                        measurement.tolerance());
            }
            cpuEnd = GeneratorCpu.take();
            notSent = driver.stop();
            if (!driver.awaitIdle(measurement.drainNanos())) {
                sender.close(); // cancels what is still in flight; those requests end as CANCELLED
                driver.awaitIdle(TimeUnit.SECONDS.toNanos(5));
            }
            drain = recording.interval();
        } finally {
            driver.stop();
            sender.close();
        }
        List<Interval> kept = last(windows);
        Interval windowsMerged = Interval.merge(kept);
        List<Interval> withDrain = new ArrayList<>(kept);
        withDrain.add(drain);
        double seconds = kept.stream().mapToDouble(Interval::seconds).sum();
        ClientCpu cpu = GeneratorCpu.between(cpuStart, cpuEnd);
        return new RunOutcome(List.copyOf(windows), stable, Interval.merge(withDrain), seconds,
                windowsMerged.completed(), notSent, cpu);
    }

    /** The windows the result is made of: the last {@code stableWindows}. */
    private List<Interval> last(List<Interval> windows) {
        return windows.subList(Math.max(0, windows.size() - measurement.stableWindows()), windows.size());
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
