package io.ensemblescope.inference.serving;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded executor Deep-Ensemble replicas run on: one thread per replica, each limiting its own PyTorch
 * intra-op parallelism to {@code threadsPerReplica} (set on the thread itself, as libtorch's OpenMP team size is per
 * calling thread) so k concurrent replicas do not oversubscribe the cores.
 */
final class ReplicaPool {
    private ReplicaPool() {}

    static ExecutorService create(String model, int replicas, int threadsPerReplica) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(replicas, replicas, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(replicas * 64), r -> {
                    Thread t = new Thread(() -> {
                        JniUtils.setNumThreads(threadsPerReplica);
                        r.run();
                    }, "replica-" + model + "-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
    }
}
