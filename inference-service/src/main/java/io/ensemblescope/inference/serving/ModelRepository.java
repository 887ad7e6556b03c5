package io.ensemblescope.inference.serving;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.checkpoint.StoreEntry;
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
    private final List<ServingObserver> observers = new CopyOnWriteArrayList<>();

    /** One model name: the version serving now and the state of the name. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile LoadedModel current;
        volatile ModelState state = ModelState.AVAILABLE;
        volatile String failure = "";
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

    /** Tells {@code observer} about every version that starts or stops serving from now on. */
    void observe(ServingObserver observer) {
        observers.add(observer);
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
        CheckpointStore.checkVersion(version, "model.version");
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

    /**
     * Loads {@code name}/{@code version} ("" = latest) and makes it the serving version, with the requested batching
     * (null: the server's default) when it lies within the server's {@link BatchingLimits}.
     */
    public ModelView load(String name, String version, BatchingConfig batching) throws IOException {
        if (batching != null) {
            options.batchingLimits().check(batching);
        }
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
            slot.failure = "";
            setState(slot, manifest.name(), ModelState.READY);
            if (old != null) {
                tell(o -> o.retired(old.manifest().name(), old.version()));
                old.retire();
            }
            tell(o -> o.loaded(manifest, store.versionDir(manifest)));
            return fresh;
        } catch (IOException | RuntimeException e) {
            slot.failure = manifest.version() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage());
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

    /** A request never exceeds the server's request batch; while batching it also fits one coalesced forward. */
    private int maxRequestBatch(BatchingConfig batching) {
        return batching.enabled() ? Math.min(batching.maxBatchSize(), options.maxRequestBatch())
                : options.maxRequestBatch();
    }

    /** Stops serving {@code name} (optionally only if {@code version} is the loaded one) and waits for its calls. */
    public void unload(String name, String version) throws InterruptedException {
        CheckpointStore.checkName(name, "model.name");
        CheckpointStore.checkVersion(version, "model.version");
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
            tell(o -> o.retired(name, m.version()));
        } finally {
            slot.lock.unlock();
        }
        try {
            m.retire().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("model " + name + " did not drain within 30 s", e);
        }
    }

    /** Every version in the store, the loaded ones marked READY, unreadable ones UNAVAILABLE with the reason. */
    public List<ModelView> list() throws IOException {
        List<ModelView> out = new ArrayList<>();
        for (StoreEntry e : store.entries("")) {
            out.add(e.readable() ? describe(e.manifest()) : ModelView.unavailable(e.name(), e.version(),
                    e.problem()));
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
        CheckpointStore.checkVersion(version, "model.version");
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
        return ModelView.of(manifest, state, options.primaryDevice().toString(), options.batching(),
                maxRequestBatch(options.batching()), state == ModelState.FAILED_TO_LOAD ? slot.failure : "");
    }

    private ModelView view(LoadedModel m, ModelState state) {
        return ModelView.of(m.manifest(), state, m.device(), m.batching(), m.maxRequestBatch(), "");
    }

    private void tell(java.util.function.Consumer<ServingObserver> event) {
        for (ServingObserver o : observers) {
            ServingObservers.safely(o, event);
        }
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
                tell(o -> o.retired(e.getKey(), m.version()));
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
