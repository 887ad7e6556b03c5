package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The serving core: validates a call against its model, runs it (batched or alone) and records its meters. Knows
 * nothing of gRPC; failures are JDK exceptions whose messages name the field.
 */
public final class InferenceEngine implements AutoCloseable {
    private final ServingOptions options;
    private final ServingMetrics metrics;
    private final ModelRepository models;
    private final ExecutorService compute;
    private final List<ServingObserver> observers = new CopyOnWriteArrayList<>();

    public InferenceEngine(CheckpointStore store, ServingOptions options, MeterRegistry registry,
                           ForwardListener forwards, ModelLoader loader) {
        this.options = options;
        this.metrics = new ServingMetrics(registry);
        this.models = new ModelRepository(store, options, loader, metrics, forwards);
        this.compute = new ThreadPoolExecutor(options.computeThreads(), options.computeThreads(), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(options.computeQueue()),
                TorchThreads.factory("inference-compute-", options.computeIntraOpThreads()));
    }

    public InferenceEngine(CheckpointStore store, ServingOptions options, MeterRegistry registry) {
        this(store, options, registry, ForwardListener.NONE, store::load);
    }

    public ModelRepository models() {
        return models;
    }

    public ServingOptions options() {
        return options;
    }

    /** Adds an observer of loads, retirements and answered calls (before serving starts). */
    public void observe(ServingObserver observer) {
        observers.add(observer);
        models.observe(observer);
    }

    /** Runs a call; the future fails with the JDK exception describing what went wrong. */
    public CompletableFuture<Prediction> predict(PredictCall call) {
        metrics.started();
        LoadedModel model = null;
        CompletableFuture<Prediction> result;
        try {
            model = models.acquire(call.name(), call.version() == null ? "" : call.version());
            int members = model.members(call.mcSamples(), options.maxMcSamples());
            InputDecoder.Decoded input = InputDecoder.decode(call.input(), model.manifest(),
                    model.maxRequestBatch());
            RequestCost.check(input.batch(), members, model.manifest(), options.maxRequestCost());
            call.checkAlive();
            result = model.submit(call, input, members, compute);
        } catch (Throwable e) {
            result = CompletableFuture.failedFuture(e);
        }
        LoadedModel held = model;
        // Only names that resolved to a model become tag values, so unknown names cannot grow the meter set.
        String tag = model == null ? "unknown" : call.name();
        String method = model == null ? "unknown" : model.method().name();
        return result.whenComplete((p, e) -> {
            if (held != null) {
                held.release();
            }
            if (e == null) {
                metrics.succeeded(tag, method, p);
                for (ServingObserver o : observers) {
                    ServingObservers.safely(o, x -> x.served(call, p));
                }
            } else {
                metrics.failed(tag, method, e);
            }
        });
    }

    /** Stops taking work, lets queued calls finish, and closes every model once its calls are done. */
    @Override
    public void close() {
        compute.shutdown();
        try {
            compute.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        models.close();
    }
}
