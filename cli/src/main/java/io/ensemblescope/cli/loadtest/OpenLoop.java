package io.ensemblescope.cli.loadtest;

import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * An open loop: one scheduler thread gives every request an intended send time (constant or Poisson gaps at the
 * target rate) and sends it then, whatever earlier requests are doing. Latency counts from the intended time, so when
 * the server stalls, or the generator itself falls behind or hits its in-flight cap, every request scheduled in the
 * meantime carries the delay — no coordinated omission (wrk2's correction, made by construction).
 */
final class OpenLoop implements Driver {
    static final String THREAD = GeneratorCpu.PREFIX + "-scheduler";

    private final Sender sender;
    private final double rate;
    private final Arrivals arrivals;
    private final long seed;
    private final Semaphore permits;
    private final InFlight inFlight = new InFlight();
    private volatile boolean running;
    private volatile long stoppedAt;
    private Thread scheduler;
    private long notSent;

    /** @param maxOutstanding most requests in flight; past it the scheduler waits (and the wait counts as latency) */
    OpenLoop(Sender sender, double rate, Arrivals arrivals, long seed, int maxOutstanding) {
        this.sender = sender;
        this.rate = rate;
        this.arrivals = arrivals;
        this.seed = seed;
        this.permits = new Semaphore(maxOutstanding);
    }

    @Override
    public void start(Recording recording) {
        running = true;
        scheduler = new Thread(() -> schedule(recording), THREAD);
        scheduler.setDaemon(true);
        scheduler.start();
    }

    private void schedule(Recording recording) {
        SplittableRandom random = new SplittableRandom(seed);
        long intended = System.nanoTime();
        long index = 0;
        try {
            while (running) {
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                permits.acquire();
                long sent = System.nanoTime();
                long due = intended;
                inFlight.increment();
                recording.sent(due, sent);
                sender.send(index++, (timings, status) -> {
                    recording.completed(due, sent, System.nanoTime(), timings, status);
                    inFlight.decrement();
                    permits.release();
                });
                intended += arrivals.gapNanos(rate, random);
            }
        } catch (InterruptedException e) {
            // stop() interrupts a scheduler waiting for a permit.
        }
        // Requests due by the stop but never sent (exact for constant arrivals, the expected count for Poisson).
        long end = stoppedAt;
        notSent = intended > end ? 0 : 1 + (long) Math.floor((end - intended) * rate / 1e9);
    }

    @Override
    public long stop() throws InterruptedException {
        if (scheduler == null) {
            return 0;
        }
        stoppedAt = System.nanoTime();
        running = false;
        scheduler.interrupt();
        scheduler.join();
        return notSent;
    }

    @Override
    public boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        return inFlight.awaitZero(timeoutNanos);
    }
}
