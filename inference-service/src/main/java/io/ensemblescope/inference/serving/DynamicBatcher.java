package io.ensemblescope.inference.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Triton-style dynamic batcher of one model: the oldest waiting call opens a batch and waits at most the queue delay
 * for others; calls with the same member count join in arrival order while the batch has room; the batch runs as one
 * forward on this batcher's thread. Calls beyond the queue size are rejected. Closing drains what is queued.
 */
final class DynamicBatcher implements AutoCloseable {
    private final BatchingConfig config;
    private final Consumer<List<PendingCall>> runner;
    private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private boolean closed;

    DynamicBatcher(String model, BatchingConfig config, Consumer<List<PendingCall>> runner) {
        this.config = config;
        this.runner = runner;
        this.thread = new Thread(this::loop, "batcher-" + model);
        thread.setDaemon(true);
        thread.start();
    }

    void offer(PendingCall call) {
        lock.lock();
        try {
            if (closed) {
                throw new ModelUnavailableException("model is unloading; retry");
            }
            if (queue.size() >= config.maxQueueSize()) {
                throw new RejectedExecutionException("batching queue is full (" + queue.size() + " waiting, max "
                        + config.maxQueueSize() + ")");
            }
            queue.addLast(call);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            List<PendingCall> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            runner.accept(batch);
        }
    }

    /** Blocks until a batch is due (full, or the oldest call's delay is over); null once closed and drained. */
    private List<PendingCall> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                changed.await();
            }
            PendingCall head = queue.peekFirst();
            long due = head.enqueuedNanos() + TimeUnit.MICROSECONDS.toNanos(config.maxQueueDelayMicros());
            while (!closed && !full(head) && due - System.nanoTime() > 0) {
                changed.awaitNanos(due - System.nanoTime());
            }
            return take(head);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calls that would join {@code head}'s batch fill it. */
    private boolean full(PendingCall head) {
        int total = 0;
        for (PendingCall c : queue) {
            if (c.members() != head.members()) {
                continue;
            }
            if (total + c.batch() > config.maxBatchSize()) {
                return true;
            }
            total += c.batch();
        }
        return total >= config.maxBatchSize();
    }

    private List<PendingCall> take(PendingCall head) {
        List<PendingCall> batch = new ArrayList<>();
        int total = 0;
        for (Iterator<PendingCall> it = queue.iterator(); it.hasNext(); ) {
            PendingCall c = it.next();
            if (c.members() != head.members()) {
                continue;
            }
            if (total + c.batch() > config.maxBatchSize()) {
                break;
            }
            total += c.batch();
            batch.add(c);
            it.remove();
        }
        return batch;
    }

    /** Stops taking calls; the thread runs what is queued, then ends (never joined: close may run on it). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
