package io.ensemblescope.cli.loadtest;

import java.util.concurrent.TimeUnit;

/** Requests sent and not yet answered, with a wait for none. */
final class InFlight {
    private long count;

    synchronized void increment() {
        count++;
    }

    synchronized void decrement() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized long count() {
        return count;
    }

    /** Waits until nothing is in flight; false if the timeout passed first. */
    synchronized boolean awaitZero(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
