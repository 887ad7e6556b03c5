package io.ensemblescope.inference.serving;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Deep Ensemble: the k replicas (separate networks) run in parallel on a bounded {@link ReplicaPool}. With several
 * devices replica i runs on copy {@code i mod n} of the network, so replicas spread across GPUs.
 */
final class DeepEnsembleExecutor implements MemberExecutor {
    private final String model;
    private final List<EnsembleNetwork> copies;
    private final ExecutorService pool;
    private final ForwardListener listener;

    DeepEnsembleExecutor(String model, List<EnsembleNetwork> copies, int threadsPerReplica,
                         ForwardListener listener) {
        this.model = model;
        this.copies = copies;
        this.listener = listener;
        this.pool = ReplicaPool.create(model, copies.get(0).spec().members(), threadsPerReplica);
    }

    @Override
    public MemberLogits logits(NDArray input, int members, BooleanSupplier abandoned) {
        int k = copies.get(0).spec().members();
        Device home = input.getDevice();
        List<Future<NDArray>> running = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int replica = i;
            EnsembleNetwork net = copies.get(i % copies.size());
            running.add(pool.submit(() -> runReplica(net, replica, input, home, abandoned)));
        }
        NDList outs = new NDList(k);
        try {
            for (Future<NDArray> f : running) {
                outs.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(f -> f.cancel(true));
            throw new CancellationException("interrupted while replicas ran");
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        return MemberLogits.memberMajor(NDArrays.stack(outs));
    }

    private NDArray runReplica(EnsembleNetwork net, int replica, NDArray input, Device home,
                               BooleanSupplier abandoned) {
        if (abandoned.getAsBoolean()) {
            throw new CancellationException("replica " + replica + " abandoned before it started");
        }
        long rows = input.getShape().get(0);
        NDArray x = net.device().equals(home) ? input : input.toDevice(net.device(), false);
        listener.beforeForward(model, Method.DEEP_ENSEMBLE, replica, rows);
        try {
            NDArray out = net.replicaLogits(replica, x);
            return out.getDevice().equals(home) ? out : out.toDevice(home, false);
        } finally {
            listener.afterForward(model, Method.DEEP_ENSEMBLE, replica, rows);
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
