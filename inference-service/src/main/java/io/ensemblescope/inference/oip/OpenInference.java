package io.ensemblescope.inference.oip;

import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ModelState;
import io.ensemblescope.inference.serving.ModelView;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol over the serving core, for both bindings (gRPC and REST): health, metadata and
 * inference through the same {@link InferenceEngine} as the native API, so batching, limits and meters are shared.
 * Knows nothing of gRPC or HTTP; failures are the core's JDK exceptions, naming the field.
 */
public final class OpenInference {
    public static final String SERVER_NAME = "ensemblescope";
    /** The protocol extensions served: binary tensor data on REST. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data");

    private final InferenceEngine engine;
    private final Set<String> loading = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public OpenInference(InferenceEngine engine) {
        this.engine = engine;
        engine.models().onStateChange((name, state) -> {
            if (state == ModelState.LOADING) {
                loading.add(name);
            } else {
                loading.remove(name);
            }
        });
    }

    /** Whether the server answers at all: always, while it runs. */
    public boolean live() {
        return true;
    }

    /** Ready unless shutting down or loading a model (the protocol's "all the models are ready"). */
    public boolean ready() {
        return !stopping && loading.isEmpty();
    }

    /** From now on the server is not ready: it is draining before shutdown. */
    public void stopping() {
        stopping = true;
    }

    public String serverVersion() {
        return CheckpointAssembler.CODE_VERSION;
    }

    /**
     * Whether the model (the version, when given) is loaded and serving.
     *
     * @throws NoSuchElementException when the store has no such model or version
     */
    public boolean modelReady(String name, String version) throws IOException {
        return !stopping && describe(name, version).state() == ModelState.READY;
    }

    /** The model's protocol metadata, without loading it. */
    public ModelMetadata modelMetadata(String name, String version) throws IOException {
        ModelView view = describe(name, version);
        return ModelMetadata.of(view, engine.models().versions(view.manifest().name()));
    }

    private ModelView describe(String name, String version) throws IOException {
        return engine.models().describe(OipText.modelName(name), OipText.modelVersion(version));
    }

    /**
     * Runs one request through the serving core. Invalid requests throw before anything runs; the future fails
     * with the core's exception otherwise.
     */
    public CompletableFuture<InferResult> infer(InferRequest request, BindingParameters binding,
                                                long receivedNanos, long deadlineNanos, BooleanSupplier cancelled) {
        InferPlan plan = InferPlan.of(request, binding, receivedNanos, deadlineNanos, cancelled);
        return engine.predict(plan.call()).thenApply(p -> InferOutputs.of(p, plan));
    }
}
