package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version: its network(s), the executor of its method, its optional batcher, and a reference count
 * so a retired version (hot swap, unload) closes only once its in-flight calls have finished. Every array a forward
 * makes lives in a per-batch sub-manager closed before the answers go out, so native memory stays flat.
 */
final class LoadedModel {
    private final Manifest manifest;
    private final List<EnsembleNetwork> networks;
    private final MemberExecutor executor;
    private final BatchingConfig batching;
    private final int maxRequestBatch;
    private final ServingMetrics metrics;
    private final DynamicBatcher batcher;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    LoadedModel(Manifest manifest, List<EnsembleNetwork> networks, MemberExecutor executor, BatchingConfig batching,
                int maxRequestBatch, ServingMetrics metrics) {
        this.manifest = manifest;
        this.networks = networks;
        this.executor = executor;
        this.batching = batching;
        this.maxRequestBatch = maxRequestBatch;
        this.metrics = metrics;
        this.batcher = batching.enabled() ? new DynamicBatcher(manifest.name(), batching, this::runBatch) : null;
    }

    Manifest manifest() {
        return manifest;
    }

    String version() {
        return manifest.version();
    }

    Method method() {
        return manifest.network().method();
    }

    BatchingConfig batching() {
        return batching;
    }

    int maxRequestBatch() {
        return maxRequestBatch;
    }

    String device() {
        return networks.get(0).device().toString();
    }

    /** The base manager of the primary network (its attached arrays are the model's native footprint). */
    NDManager manager() {
        return networks.get(0).manager();
    }

    /** Members the call runs: T for MC Dropout (validated), k otherwise (mc_samples must then be 0). */
    int members(int mcSamples, int maxMcSamples) {
        if (method() != Method.MC_DROPOUT) {
            if (mcSamples != 0) {
                throw new IllegalArgumentException("mc_samples: must be 0 for " + method() + " model "
                        + manifest.name() + ", got " + mcSamples);
            }
            return manifest.network().members();
        }
        int t = mcSamples == 0 ? manifest.network().mcSamples() : mcSamples;
        if (t < 1 || t > maxMcSamples) {
            throw new IllegalArgumentException("mc_samples: must be in [1, " + maxMcSamples + "] (0 = default "
                    + manifest.network().mcSamples() + "), got " + mcSamples);
        }
        return t;
    }

    /** Queues the call on the batcher, or runs it alone on the compute pool. */
    CompletableFuture<Prediction> submit(PredictCall call, InputDecoder.Decoded input, int members,
                                         ExecutorService compute) {
        PendingCall pending = new PendingCall(call, input, members, new CompletableFuture<>(), System.nanoTime());
        if (batcher != null) {
            batcher.offer(pending);
        } else {
            compute.execute(() -> runBatch(List.of(pending)));
        }
        return pending.future();
    }

    /** One forward over the concatenated inputs of {@code calls}; the results are split back per call. */
    private void runBatch(List<PendingCall> calls) {
        long start = System.nanoTime();
        List<PendingCall> live = new ArrayList<>(calls.size());
        for (PendingCall c : calls) {
            try {
                c.call().checkAlive();
                live.add(c);
            } catch (TimeoutException | RuntimeException e) {
                c.future().completeExceptionally(e);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        Outputs out;
        try {
            out = forward(live);
        } catch (RuntimeException e) {
            live.forEach(c -> c.future().completeExceptionally(e));
            return;
        }
        long end = System.nanoTime();
        metrics.batch(manifest.name(), method().name(), out.total);
        int offset = 0;
        for (PendingCall c : live) {
            try {
                c.future().complete(FiniteOutputs.check(out.slice(c, offset, start, end)));
            } catch (IllegalStateException e) {
                c.future().completeExceptionally(e);
            }
            offset += c.batch();
        }
    }

    private Outputs forward(List<PendingCall> live) {
        int total = live.stream().mapToInt(PendingCall::batch).sum();
        float[] x = new float[Math.multiplyExact(total, sampleSize())];
        int at = 0;
        for (PendingCall c : live) {
            System.arraycopy(c.input().values(), 0, x, at, c.input().values().length);
            at += c.input().values().length;
        }
        long[] dims = new long[manifest.inputShape().length + 1];
        dims[0] = total;
        System.arraycopy(manifest.inputShape(), 0, dims, 1, manifest.inputShape().length);
        int members = live.get(0).members();
        try (NDManager sub = manager().newSubManager()) {
            NDArray input = sub.create(x, new Shape(dims));
            NDArray logits = executor.logits(input, members,
                    () -> live.stream().allMatch(c -> c.call().abandoned()));
            NDArray probs = logits.softmax(2);
            NDArray mean = probs.mean(new int[] {0});
            int classes = (int) logits.getShape().get(2);
            return new Outputs((int) logits.getShape().get(0), total, classes, probs.toFloatArray(),
                    mean.toFloatArray(), logits.toFloatArray());
        }
    }

    private int sampleSize() {
        long n = 1;
        for (long d : manifest.inputShape()) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** A whole batch's outputs: probabilities and logits [k, total, C], mean [total, C]. */
    private final class Outputs {
        final int members;
        final int total;
        final int classes;
        final float[] probs;
        final float[] mean;
        final float[] logits;

        Outputs(int members, int total, int classes, float[] probs, float[] mean, float[] logits) {
            this.members = members;
            this.total = total;
            this.classes = classes;
            this.probs = probs;
            this.mean = mean;
            this.logits = logits;
        }

        Prediction slice(PendingCall c, int offset, long start, long end) {
            int b = c.batch();
            float[] m = new float[b * classes];
            System.arraycopy(mean, offset * classes, m, 0, m.length);
            PredictCall call = c.call();
            return new Prediction(call.requestId(), manifest.name(), manifest.version(), method(), members, b,
                    classes, memberRows(probs, offset, b), m, call.returnLogits() ? memberRows(logits, offset, b)
                    : null, micros(start - c.enqueuedNanos()), micros(end - start),
                    micros(end - call.receivedNanos()), total);
        }

        /** Rows [offset, offset + b) of every member, member-major. */
        private float[] memberRows(float[] all, int offset, int b) {
            if (b == total) {
                return all;
            }
            float[] out = new float[members * b * classes];
            for (int i = 0; i < members; i++) {
                System.arraycopy(all, (i * total + offset) * classes, out, i * b * classes, b * classes);
            }
            return out;
        }
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos));
    }

    boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            close();
        }
    }

    /** Drops the repository's reference: the model closes once its in-flight calls are done. */
    CompletableFuture<Void> retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
        return closed;
    }

    private void close() {
        if (batcher != null) {
            batcher.close();
        }
        executor.close();
        networks.forEach(EnsembleNetwork::close);
        closed.complete(null);
    }
}
