package io.ensemblescope.inference.serving;

import ai.djl.Device;
import java.util.List;

/**
 * How the serving core runs.
 *
 * @param devices devices to serve on; the first holds every model, and Deep-Ensemble replicas spread over all
 * @param replicaThreads PyTorch intra-op threads per Deep-Ensemble replica thread (so k replicas share the cores);
 *     0 means cores / k, at least 1
 * @param computeThreads threads running unbatched forwards; each limits its PyTorch intra-op threads to
 *     cores / computeThreads (at least 1), the rule Deep-Ensemble replicas follow, so concurrent forwards do not
 *     oversubscribe the cores — on a busy machine an OpenMP team waiting for a descheduled thread turns a 0.1 ms
 *     forward into milliseconds
 * @param computeQueue unbatched requests allowed to wait for a compute thread; more are rejected
 * @param batching the default dynamic batching of models loaded without their own
 * @param maxRequestBatch largest B of one request when the model does not batch
 * @param maxMcSamples largest T a request may ask for
 * @param maxForwardRows largest number of rows in one MC Dropout forward; larger T·B runs in chunks
 * @param autoload load a model on its first request
 * @param batchingLimits the most a LoadModel request may ask of dynamic batching
 * @param maxRequestCost the most work one request may ask for, in rows × members × sample elements (B · T · H · W ·
 *     C for MC Dropout): beyond it the request is RESOURCE_EXHAUSTED
 */
public record ServingOptions(List<Device> devices, int replicaThreads, int computeThreads, int computeQueue,
                             BatchingConfig batching, int maxRequestBatch, int maxMcSamples, int maxForwardRows,
                             boolean autoload, BatchingLimits batchingLimits, long maxRequestCost) {
    /**
     * Default per-request cost limit: 2²⁶ element-passes, e.g. B = 256 MNIST images × T = 256 or B = 4,096 CIFAR
     * images × k = 4 — an MC-Dropout request of T = 256 × B = 4,096 (13× that) once took 12.6 s and 836 MiB.
     */
    public static final long DEFAULT_MAX_REQUEST_COST = 1L << 26;

    /** Options with the default batching limits and request cost limit. */
    public ServingOptions(List<Device> devices, int replicaThreads, int computeThreads, int computeQueue,
                          BatchingConfig batching, int maxRequestBatch, int maxMcSamples, int maxForwardRows,
                          boolean autoload) {
        this(devices, replicaThreads, computeThreads, computeQueue, batching, maxRequestBatch, maxMcSamples,
                maxForwardRows, autoload, BatchingLimits.of(maxRequestBatch), DEFAULT_MAX_REQUEST_COST);
    }

    public ServingOptions {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices: at least one is needed");
        }
        devices = List.copyOf(devices);
        if (replicaThreads < 0) {
            throw new IllegalArgumentException("replica_threads must be >= 0 (0 = cores / k), got " + replicaThreads);
        }
        if (computeThreads < 1 || computeQueue < 1) {
            throw new IllegalArgumentException("compute_threads and compute_queue must be >= 1");
        }
        if (maxRequestBatch < 1 || maxMcSamples < 1 || maxForwardRows < 1) {
            throw new IllegalArgumentException("max_request_batch, max_mc_samples and max_forward_rows must be >= 1");
        }
        if (batchingLimits == null || maxRequestCost < 1) {
            throw new IllegalArgumentException("batching_limits are required and max_request_cost must be >= 1");
        }
    }

    /** CPU defaults: threads from the core count, batching off, autoload on. */
    public static ServingOptions defaults(Device device) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServingOptions(List.of(device), 0, Math.max(2, cores), 1024, BatchingConfig.DISABLED, 4096, 256,
                16_384, true);
    }

    public ServingOptions withBatching(BatchingConfig b) {
        return new ServingOptions(devices, replicaThreads, computeThreads, computeQueue, b, maxRequestBatch,
                maxMcSamples, maxForwardRows, autoload, batchingLimits, maxRequestCost);
    }

    public ServingOptions withMaxForwardRows(int rows) {
        return new ServingOptions(devices, replicaThreads, computeThreads, computeQueue, batching, maxRequestBatch,
                maxMcSamples, rows, autoload, batchingLimits, maxRequestCost);
    }

    public ServingOptions withAutoload(boolean on) {
        return new ServingOptions(devices, replicaThreads, computeThreads, computeQueue, batching, maxRequestBatch,
                maxMcSamples, maxForwardRows, on, batchingLimits, maxRequestCost);
    }

    public ServingOptions withLimits(BatchingLimits limits, long requestCost) {
        return new ServingOptions(devices, replicaThreads, computeThreads, computeQueue, batching, maxRequestBatch,
                maxMcSamples, maxForwardRows, autoload, limits, requestCost);
    }

    /** Intra-op threads for each of a Deep Ensemble's k replica threads. */
    public int replicaThreadsFor(int k) {
        return replicaThreads > 0 ? replicaThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / k);
    }

    /** Intra-op threads for each compute thread (see {@code computeThreads}). */
    public int computeIntraOpThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / computeThreads);
    }

    public Device primaryDevice() {
        return devices.get(0);
    }
}
