package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The serving core: validates a call against its model, runs it (batched or alone) and records its meters. Knows
 * nothing of gRPC; failures are JDK exceptions whose messages name the field.
 */
public final class InferenceEngine implements AutoCloseable {
    private final ServingOptions options;
    private final ServingMetrics metrics;
    private final ModelRepository models;
    private final ComputeSlots compute;
    private final List<ServingObserver> observers = new CopyOnWriteArrayList<>();

    public InferenceEngine(CheckpointStore store, ServingOptions options, MeterRegistry registry,
                           ForwardListener forwards, ModelLoader loader) {
        this.options = options;
        this.metrics = new ServingMetrics(registry);
        this.models = new ModelRepository(store, options, loader, metrics, forwards);
        this.compute = new ComputeSlots(options.computeThreads(), options.computeQueue(),
                options.computeIntraOpThreads());
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

    /**
     * Runs a call, unbatched on this thread when a compute slot is free (see {@link ComputeSlots}); the future fails
     * with the JDK exception describing what went wrong.
     */
    public CompletableFuture<Prediction> predict(PredictCall call) {
        return predict(call, true);
    }

    /** Runs a call without occupying this thread: for callers that keep several calls in flight (streams). */
    public CompletableFuture<Prediction> predictQueued(PredictCall call) {
        return predict(call, false);
    }

    private CompletableFuture<Prediction> predict(PredictCall call, boolean here) {
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
            result = model.submit(call, input, members, here ? compute::runHereOrQueue : compute::queue);
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
        compute.close();
        models.close();
    }
}
