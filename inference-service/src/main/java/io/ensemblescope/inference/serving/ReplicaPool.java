package io.ensemblescope.inference.serving;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bounded executor Deep-Ensemble replicas run on: one thread per replica, each limited to
 * {@code threadsPerReplica} PyTorch intra-op threads so k concurrent replicas do not oversubscribe the cores.
 */
final class ReplicaPool {
    private ReplicaPool() {}

    static ExecutorService create(String model, int replicas, int threadsPerReplica) {
        return new ThreadPoolExecutor(replicas, replicas, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(replicas * 64),
                TorchThreads.factory("replica-" + model + "-", threadsPerReplica));
    }
}
