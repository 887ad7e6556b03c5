package io.ensemblescope.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.fused.FusedNetwork;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.InputDecoder;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Serving latency of every method on one architecture, side by side in one JVM and interleaved round by round:
 * the raw DJL forward (the model's own training forward, input already normalized, softmax, copied back), the
 * serving core in-process with fusion (default) and without it (the training forward; Deep-Ensemble replicas on
 * threads, each call handed to the gRPC call executor), and the full gRPC server over loopback for both, beside the
 * transport floor: the health check, a unary call whose handler is a map lookup, on the same channel and server.
 * Clients are built the way users build them (blocking stubs); the fused server is also called through a channel
 * that runs callbacks on its event loop (future stub, direct executor), in case the blocking stub's hand-back to
 * the caller costs more than the event loop's completing a future. Results are keyed "path/method@B".
 */
final class ServingBench implements AutoCloseable {
    static final int K = 4;
    static final String[] METHODS = {"single", "mc", "de", "be"};

    private final String arch;
    private final Device device;
    private final long layerBudget;
    private final CheckpointStore store;
    private final Map<String, Manifest> manifests = new LinkedHashMap<>();
    private final Map<String, EnsembleNetwork> raw = new LinkedHashMap<>();
    private final InferenceEngine fused;
    private final InferenceEngine unfused;
    private final InferenceServer.Running server;
    private final InferenceServer.Running before;
    private final ManagedChannel channel;
    private final ManagedChannel beforeChannel;
    private final ManagedChannel directChannel;
    private final InferenceServiceGrpc.InferenceServiceBlockingStub stub;
    private final InferenceServiceGrpc.InferenceServiceBlockingStub beforeStub;
    private final InferenceServiceGrpc.InferenceServiceFutureStub directStub;
    final Map<String, LatencyMeter> meters = new LinkedHashMap<>();

    ServingBench(String arch, Device device, long layerBudget) throws Exception {
        this.arch = arch;
        this.layerBudget = layerBudget;
        this.device = device;
        this.store = new CheckpointStore(Files.createTempDirectory("escope-bench-inference"));
        commit("single", new NetworkSpec(arch, Method.SINGLE, 1, 0.05f, 4, null));
        commit("mc", new NetworkSpec(arch, Method.MC_DROPOUT, 1, 0.05f, 4, null));
        commit("de", new NetworkSpec(arch, Method.DEEP_ENSEMBLE, K, 0.05f, 4, null));
        commit("be", new NetworkSpec(arch, Method.BATCH_ENSEMBLE, K, 0.05f, 4, BatchEnsembleOptions.defaults(K)));
        ServingOptions options = ServingOptions.defaults(device).withFusion(layerBudget, true);
        PrometheusMeterRegistry registry = Meters.newRegistry("inference-bench");
        fused = new InferenceEngine(store, options, registry);
        // "unfused" is the serving path before fusion: the training forward, replicas on threads, and its gRPC
        // server hands each call to the call executor.
        PrometheusMeterRegistry beforeRegistry = Meters.newRegistry("unfused-bench");
        unfused = new InferenceEngine(store, options.withFusion(-1, false).withPredictOnTransportThread(false),
                beforeRegistry);
        server = InferenceServer.start(0, -1, 256 << 20, fused, registry);
        before = InferenceServer.start(0, -1, 256 << 20, unfused, beforeRegistry);
        channel = channel(server);
        beforeChannel = channel(before);
        directChannel = builder(server).directExecutor().build();
        stub = InferenceServiceGrpc.newBlockingStub(channel);
        beforeStub = InferenceServiceGrpc.newBlockingStub(beforeChannel);
        directStub = InferenceServiceGrpc.newFutureStub(directChannel);
    }

    private static ManagedChannel channel(InferenceServer.Running s) {
        return builder(s).build();
    }

    private static NettyChannelBuilder builder(InferenceServer.Running s) {
        return NettyChannelBuilder.forAddress("127.0.0.1", s.server().port()).usePlaintext()
                .maxInboundMessageSize(256 << 20);
    }

    private void commit(String name, NetworkSpec spec) throws Exception {
        Manifest m = RandomCheckpoints.commit(store, name, spec);
        manifests.put(name, m);
        raw.put(name, store.load(m, device));
    }

    /** The serving tensors fusion keeps for {@code model} (0 for MC Dropout, which is not fused). */
    FusedNetwork fusedForm(String model) {
        return raw.get(model).spec().method() == Method.MC_DROPOUT ? null
                : FusedNetwork.compile(raw.get(model), layerBudget);
    }

    long[] sample() {
        return manifests.get("single").inputShape();
    }

    /**
     * One round at batch {@code b} (gRPC paths only when {@code grpc}): every path of every method takes turns call
     * by call, in a fresh random order each turn, so load from other processes hits all of them alike, for {@code nanos} per path (at least 5 turns).
     */
    void round(int b, boolean grpc, long nanos) throws Exception {
        Map<String, LatencyMeter.Call> calls = new LinkedHashMap<>();
        for (String m : METHODS) {
            calls.put("raw/" + m + "@" + b, call("raw", m, b));
            calls.put("fused/" + m + "@" + b, call("fused", m, b));
            if (!m.equals("mc")) {
                calls.put("unfused/" + m + "@" + b, call("unfused", m, b));
            }
            if (grpc) {
                calls.put("grpc/" + m + "@" + b, call("grpc", m, b));
                calls.put("grpc-direct/" + m + "@" + b, call("grpc-direct", m, b));
                calls.put("grpc-unfused/" + m + "@" + b, call("grpc-unfused", m, b));
            }
        }
        if (grpc) {
            HealthCheckRequest overall = HealthCheckRequest.getDefaultInstance();
            var health = HealthGrpc.newBlockingStub(channel);
            var directHealth = HealthGrpc.newFutureStub(directChannel);
            var beforeHealth = HealthGrpc.newBlockingStub(beforeChannel);
            calls.put("grpc/floor@" + b, () -> health.check(overall));
            calls.put("grpc-direct/floor@" + b, () -> directHealth.check(overall).get());
            calls.put("grpc-unfused/floor@" + b, () -> beforeHealth.check(overall));
        }
        for (String path : new String[] {"raw", "fused", "unfused"}) {
            calls.put(path + "/single(4B)@" + b, call(path, "single", K * b));
        }
        for (var c : calls.entrySet()) {
            meters.computeIfAbsent(c.getKey(), k -> new LatencyMeter()).warmUp(c.getValue());
        }
        // A fresh order every turn: in a fixed one each configuration always follows the same other, whose working
        // set it then always finds in the caches (a fused BatchEnsemble after its training forward measured 1.43 ×
        // single(4B) in a fixed order, 1.14 shuffled, 0.98 with nothing between calls).
        List<Map.Entry<String, LatencyMeter.Call>> order = new ArrayList<>(calls.entrySet());
        Random shuffle = new Random(b);
        long end = System.nanoTime() + nanos * calls.size();
        for (int turn = 0; turn < 5 || System.nanoTime() < end; turn++) {
            Collections.shuffle(order, shuffle);
            for (var c : order) {
                meters.get(c.getKey()).time(c.getValue());
            }
        }
    }

    private LatencyMeter.Call call(String path, String model, int b) {
        PredictRequest r = RandomCheckpoints.request(model, sample(), b);
        return switch (path) {
            case "grpc" -> () -> stub.predict(r);
            case "grpc-direct" -> () -> directStub.predict(r).get();
            case "grpc-unfused" -> () -> beforeStub.predict(r);
            case "fused" -> () -> fused.predict(ProtoCodec.toCall(r, System.nanoTime(), Long.MAX_VALUE, () -> false))
                    .get();
            case "unfused" -> () -> unfused.predict(ProtoCodec.toCall(r, System.nanoTime(), Long.MAX_VALUE,
                    () -> false)).get();
            default -> rawForward(model, r);
        };
    }

    /** What a plain DJL caller writes: normalized input in, the model's training forward, softmax, copy back. */
    private LatencyMeter.Call rawForward(String model, PredictRequest r) {
        EnsembleNetwork net = raw.get(model);
        Manifest m = manifests.get(model);
        float[] x = InputDecoder.decode(ProtoCodec.toCall(r, 0, Long.MAX_VALUE, () -> false).input(), m,
                Integer.MAX_VALUE).values();
        long[] dims = new long[m.inputShape().length + 1];
        dims[0] = r.getInput().getShape(0);
        System.arraycopy(m.inputShape(), 0, dims, 1, m.inputShape().length);
        return () -> {
            try (NDManager sub = net.manager().newSubManager()) {
                NDArray logits = net.memberLogits(sub.create(x, new Shape(dims)), 0);
                logits.softmax(2).toFloatArray();
            }
        };
    }

    double p50(String key) {
        return meters.get(key).p50Micros();
    }

    String arch() {
        return arch;
    }

    List<String> methods() {
        return List.of(METHODS);
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        beforeChannel.shutdownNow();
        directChannel.shutdownNow();
        server.stop();
        before.stop();
        raw.values().forEach(EnsembleNetwork::close);
    }
}
