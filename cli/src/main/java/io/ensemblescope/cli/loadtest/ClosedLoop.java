package io.ensemblescope.cli.loadtest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop: {@code concurrency} virtual users, each sending its next request as soon as its previous one ends.
 * Latency is measured from the send, so this measures service time at a fixed concurrency; the load offered falls
 * when the server slows down (which is what coordinated omission means for a closed loop).
 */
final class ClosedLoop implements Driver {
    static final String THREAD = GeneratorCpu.PREFIX + "-loop";

    private final Sender sender;
    private final int concurrency;
    private final InFlight inFlight = new InFlight();
    private final AtomicLong next = new AtomicLong();
    /** Whether this thread is inside a send (an answer that arrives synchronously must not recurse). */
    private final ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    /** Continues users whose answer arrived inside their own send (e.g. a call failing at once). */
    private final ExecutorService resend = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, THREAD);
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private Recording recording;

    ClosedLoop(Sender sender, int concurrency) {
        this.sender = sender;
        this.concurrency = concurrency;
    }

    @Override
    public void start(Recording r) {
        recording = r;
        running = true;
        for (int i = 0; i < concurrency; i++) {
            sendNext();
        }
    }

    private void sendNext() {
        if (!running) {
            return;
        }
        if (sending.get()) {
            try {
                resend.execute(this::sendNext);
            } catch (RejectedExecutionException stopped) {
                // stop() came in between: nothing more to send.
            }
            return;
        }
        sending.set(true);
        try {
            sendOne();
        } finally {
            sending.set(false);
        }
    }

    private void sendOne() {
        inFlight.increment();
        if (!running) {
            inFlight.decrement();
            return;
        }
        long sent = System.nanoTime();
        recording.sent(sent, sent);
        sender.send(next.getAndIncrement(), (timings, status) -> {
            recording.completed(sent, sent, System.nanoTime(), timings, status);
            inFlight.decrement();
            sendNext();
        });
    }

    @Override
    public long stop() {
        running = false;
        resend.shutdown();
        return 0;
    }

    @Override
    public boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        return inFlight.awaitZero(timeoutNanos);
    }
}
