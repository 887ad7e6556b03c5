package io.ensemblescope.inference.serving;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * Models served from a {@link CheckpointStore}, one loaded version per name. Loading a new version builds it aside
 * and swaps it in atomically; the old version keeps serving the calls that already hold it and closes when they
 * finish, so a hot swap fails no in-flight call.
 */
public final class ModelRepository implements AutoCloseable {
    private final CheckpointStore store;
    private final ServingOptions options;
    private final ModelLoader loader;
    private final ServingMetrics metrics;
    private final ForwardListener forwards;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, ModelState>> stateListeners = new CopyOnWriteArrayList<>();

    /** One model name: the version serving now and the state of the name. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile LoadedModel current;
        volatile ModelState state = ModelState.AVAILABLE;
    }

    ModelRepository(CheckpointStore store, ServingOptions options, ModelLoader loader, ServingMetrics metrics,
                    ForwardListener forwards) {
        this.store = store;
        this.options = options;
        this.loader = loader;
        this.metrics = metrics;
        this.forwards = forwards;
        metrics.bindLoadedModels(this::loadedCount);
    }

    /** Called with (model name, new state) on every change, e.g. to drive per-model health. */
    public void onStateChange(BiConsumer<String, ModelState> listener) {
        stateListeners.add(listener);
    }

    public int loadedCount() {
        return (int) slots.values().stream().filter(s -> s.current != null).count();
    }

    /**
     * The loaded model for a call, holding a reference the caller must release. Loads it first when autoload is on;
     * while it loads, throws {@link ModelUnavailableException}.
     */
    LoadedModel acquire(String name, String version) throws IOException {
        CheckpointStore.checkName(name, "model.name");
        while (true) {
            Slot slot = slots.get(name);
            LoadedModel m = slot == null ? null : slot.current;
            if (m != null) {
                if (!version.isEmpty() && !version.equals(m.version())) {
                    store.manifest(name, version);
                    throw new IllegalStateException("model.version: " + name + "/" + version
                            + " is not loaded (serving " + m.version() + "); load it first");
                }
                if (m.tryAcquire()) {
                    return m;
                }
                continue;
            }
            if (slot != null && slot.state == ModelState.LOADING) {
                throw new ModelUnavailableException("model " + name + " is loading; retry shortly");
            }
            if (!options.autoload()) {
                store.manifest(name, version);
                throw new ModelUnavailableException("model " + name + " is not loaded; call LoadModel");
            }
            Manifest manifest = store.manifest(name, version); // unknown names fail here and leave no slot
            Slot s = slots.computeIfAbsent(name, n -> new Slot());
            if (!s.lock.tryLock()) {
                throw new ModelUnavailableException("model " + name + " is loading; retry shortly");
            }
            try {
                if (s.current == null) {
                    swapIn(s, manifest, options.batching());
                }
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Loads {@code name}/{@code version} ("" = latest) and makes it the serving version. */
    public ModelView load(String name, String version, BatchingConfig batching) throws IOException {
        Manifest manifest = store.manifest(name, version == null ? "" : version);
        Slot slot = slots.computeIfAbsent(name, n -> new Slot());
        slot.lock.lock();
        try {
            LoadedModel m = swapIn(slot, manifest, batching == null ? options.batching() : batching);
            return view(m, ModelState.READY);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Builds the version aside, then swaps it in; the previous version retires once its calls finish. */
    private LoadedModel swapIn(Slot slot, Manifest manifest, BatchingConfig batching) throws IOException {
        if (slot.current == null) {
            setState(slot, manifest.name(), ModelState.LOADING);
        }
        try {
            LoadedModel fresh = open(manifest, batching);
            LoadedModel old = slot.current;
            slot.current = fresh;
            setState(slot, manifest.name(), ModelState.READY);
            if (old != null) {
                old.retire();
            }
            return fresh;
        } catch (IOException | RuntimeException e) {
            setState(slot, manifest.name(), slot.current == null ? ModelState.FAILED_TO_LOAD : ModelState.READY);
            throw e;
        }
    }

    private LoadedModel open(Manifest manifest, BatchingConfig batching) throws IOException {
        Method method = manifest.network().method();
        // Deep-Ensemble replicas spread across devices: one copy of the network per device, replica i on copy i mod n.
        List<Device> devices = method == Method.DEEP_ENSEMBLE ? options.devices()
                : List.of(options.primaryDevice());
        List<EnsembleNetwork> nets = new ArrayList<>();
        try {
            for (Device d : devices) {
                nets.add(loader.load(manifest, d));
            }
            String name = manifest.name();
            MemberExecutor executor = switch (method) {
                case DEEP_ENSEMBLE -> new DeepEnsembleExecutor(name, nets,
                        options.replicaThreadsFor(manifest.network().members()), forwards);
                case MC_DROPOUT -> new McDropoutExecutor(name, nets.get(0), options.maxForwardRows(), forwards);
                case SINGLE, BATCH_ENSEMBLE -> new TiledExecutor(name, nets.get(0), forwards);
            };
            return new LoadedModel(manifest, nets, executor, batching, maxRequestBatch(batching), metrics);
        } catch (IOException | RuntimeException e) {
            nets.forEach(EnsembleNetwork::close);
            throw e;
        }
    }

    private int maxRequestBatch(BatchingConfig batching) {
        return batching.enabled() ? batching.maxBatchSize() : options.maxRequestBatch();
    }

    /** Stops serving {@code name} (optionally only if {@code version} is the loaded one) and waits for its calls. */
    public void unload(String name, String version) throws InterruptedException {
        CheckpointStore.checkName(name, "model.name");
        Slot slot = slots.get(name);
        LoadedModel m;
        if (slot == null) {
            throw new NoSuchElementException("model " + name + " is not loaded");
        }
        slot.lock.lock();
        try {
            m = slot.current;
            if (m == null || (version != null && !version.isEmpty() && !version.equals(m.version()))) {
                throw new NoSuchElementException("model " + name + (version == null || version.isEmpty() ? ""
                        : "/" + version) + " is not loaded");
            }
            slot.current = null;
            setState(slot, name, ModelState.AVAILABLE);
        } finally {
            slot.lock.unlock();
        }
        try {
            m.retire().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("model " + name + " did not drain within 30 s", e);
        }
    }

    /** Every version in the store, the loaded ones marked READY. */
    public List<ModelView> list() throws IOException {
        List<ModelView> out = new ArrayList<>();
        for (Manifest m : store.list("")) {
            out.add(describe(m));
        }
        return out;
    }

    /** Every complete version of {@code name} in the store, oldest first. */
    public List<String> versions(String name) throws IOException {
        CheckpointStore.checkName(name, "model.name");
        return store.list(name).stream().map(Manifest::version).toList();
    }

    /** One version's view without loading anything ("" = the loaded version, else the latest). */
    public ModelView describe(String name, String version) throws IOException {
        CheckpointStore.checkName(name, "model.name");
        Slot slot = slots.get(name);
        LoadedModel m = slot == null ? null : slot.current;
        if (m != null && (version == null || version.isEmpty() || version.equals(m.version()))) {
            return view(m, ModelState.READY);
        }
        return describe(store.manifest(name, version == null ? "" : version));
    }

    private ModelView describe(Manifest manifest) {
        Slot slot = slots.get(manifest.name());
        LoadedModel m = slot == null ? null : slot.current;
        if (m != null && m.version().equals(manifest.version())) {
            return view(m, ModelState.READY);
        }
        ModelState state = slot != null && slot.current == null && slot.state != ModelState.READY ? slot.state
                : ModelState.AVAILABLE;
        return new ModelView(manifest, state, options.primaryDevice().toString(), options.batching(),
                maxRequestBatch(options.batching()));
    }

    private ModelView view(LoadedModel m, ModelState state) {
        return new ModelView(m.manifest(), state, m.device(), m.batching(), m.maxRequestBatch());
    }

    private void setState(Slot slot, String name, ModelState state) {
        slot.state = state;
        stateListeners.forEach(l -> l.accept(name, state));
    }

    /** Retires every model; each closes once its in-flight calls finish. */
    @Override
    public void close() {
        for (var e : slots.entrySet()) {
            LoadedModel m = e.getValue().current;
            e.getValue().current = null;
            if (m != null) {
                try {
                    m.retire().get(30, TimeUnit.SECONDS);
                } catch (Exception ex) {
                    // Shutting down: a model that does not drain in time is abandoned with the process.
                }
                setState(e.getValue(), e.getKey(), ModelState.AVAILABLE);
            }
        }
    }

    /** Test and diagnostics access: the base manager of the loaded version of {@code name}. */
    public ai.djl.ndarray.NDManager managerOf(String name) {
        Slot slot = slots.get(name);
        if (slot == null || slot.current == null) {
            throw new NoSuchElementException("model " + name + " is not loaded");
        }
        return slot.current.manager();
    }
}
