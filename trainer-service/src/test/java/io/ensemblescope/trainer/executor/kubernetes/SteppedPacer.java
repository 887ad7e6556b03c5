package io.ensemblescope.trainer.executor.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time the test moves by hand: every pause of the executor advances a virtual clock by the pause's length and blocks
 * until the test lets the next cycle run, so the test acts between cycles and no test waits for real time.
 */
final class SteppedPacer implements Pacer {

    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Semaphore paused = new Semaphore(0);
    private final Semaphore resume = new Semaphore(0);
    private volatile boolean woken;

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void pause(Duration d) throws InterruptedException {
        if (woken) {
            return;
        }
        pauses.add(d);
        now.addAndGet(d.toNanos());
        paused.release();
        resume.acquire();
    }

    @Override
    public void wake() {
        woken = true;
        resume.release();
    }

    /** Virtual seconds since the test began. */
    long seconds() {
        return TimeUnit.NANOSECONDS.toSeconds(now.get() - 1_000_000_000L);
    }

    /** Waits until the executor paused after a cycle, or finished ({@link #finished()}). */
    void awaitPause() throws InterruptedException {
        if (!paused.tryAcquire(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the executor neither paused nor finished; pauses so far " + pauses);
        }
    }

    /** Lets the paused executor run one more cycle, and waits until it pauses again or finishes. */
    void cycle() throws InterruptedException {
        resume.release();
        awaitPause();
    }

    /** The executor returned or threw: no more pauses will come. */
    void finished() {
        paused.release(1000);
    }
}
