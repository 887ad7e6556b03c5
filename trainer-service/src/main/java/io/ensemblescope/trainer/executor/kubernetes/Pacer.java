package io.ensemblescope.trainer.executor.kubernetes;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The executor's sense of time: a clock for outage windows and pending deadlines, and the pause between polls, which
 * a trainer shutdown cuts short. Tests substitute one they step by hand, so no test waits for real time to pass.
 */
interface Pacer {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code d}, or less once {@link #wake()} was called (then returns at once, now and at every later call). */
    void pause(Duration d) throws InterruptedException;

    /** Ends every pause, present and future: the trainer is shutting down. */
    void wake();

    /** Real time. */
    static Pacer system() {
        CountDownLatch woken = new CountDownLatch(1);
        return new Pacer() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void pause(Duration d) throws InterruptedException {
                woken.await(d.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void wake() {
                woken.countDown();
            }
        };
    }
}
