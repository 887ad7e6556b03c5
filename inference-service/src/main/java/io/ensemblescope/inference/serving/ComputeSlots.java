package io.ensemblescope.inference.serving;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where unbatched forwards run. At most {@code computeThreads} run at once. A unary call runs on its caller's thread
 * when a slot is free — no hand-off to another thread and back, which cost a small forward more than the forward
 * itself — and waits in the bounded compute queue otherwise, as streamed calls always do (so one stream keeps
 * several requests in flight). Every thread that runs a forward limits its PyTorch intra-op threads first, so
 * concurrent forwards share the cores instead of oversubscribing them.
 */
final class ComputeSlots implements AutoCloseable {
    private static final ThreadLocal<Integer> LIMITED = new ThreadLocal<>();

    private final Semaphore slots;
    private final ThreadPoolExecutor pool;
    private final int intraOpThreads;

    ComputeSlots(int threads, int queue, int intraOpThreads) {
        this.slots = new Semaphore(threads);
        this.intraOpThreads = intraOpThreads;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                TorchThreads.factory("inference-compute-", intraOpThreads));
    }

    /** Runs {@code task} now on this thread if a slot is free, else queues it (RejectedExecutionException if full). */
    void runHereOrQueue(Runnable task) {
        if (slots.tryAcquire()) {
            try {
                limitThisThread();
                task.run();
            } finally {
                slots.release();
            }
            return;
        }
        queue(task);
    }

    /** Queues {@code task} for a compute thread (RejectedExecutionException when the queue is full). */
    void queue(Runnable task) {
        pool.execute(() -> {
            slots.acquireUninterruptibly();
            try {
                task.run();
            } finally {
                slots.release();
            }
        });
    }

    private void limitThisThread() {
        Integer set = LIMITED.get();
        if (set == null || set != intraOpThreads) {
            JniUtils.setNumThreads(intraOpThreads);
            LIMITED.set(intraOpThreads);
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
