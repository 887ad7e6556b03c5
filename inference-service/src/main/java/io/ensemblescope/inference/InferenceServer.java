package io.ensemblescope.inference;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.inference.grpc.InferenceGrpcService;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.monitoring.UncertaintyMonitor;
import io.ensemblescope.inference.oip.OpenInference;
import io.ensemblescope.inference.oip.grpc.OipGrpcService;
import io.ensemblescope.inference.oip.rest.OipHttpServer;
import io.ensemblescope.inference.serving.BatchingConfig;
import io.ensemblescope.inference.serving.BatchingLimits;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.CommandLines;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.StoreOption;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The inference server: the serving core behind the InferenceService gRPC contract and the Open Inference Protocol
 * (KServe v2: gRPC on the same port, REST on {@code --http-port}), with grpc health (one status per model),
 * reflection and a Prometheus endpoint. On a GPU image, put DJL's CUDA native artifact
 * (ai.djl.pytorch:pytorch-native-cu*:linux-x86_64) on the classpath instead of pytorch-native-cpu; {@code --device
 * auto} then takes GPU 0 (see docs/BENCHMARKS.md, "Inference").
 */
@Command(name = "inference-server", mixinStandardHelpOptions = true,
        description = "Serves EnsembleScope checkpoints with per-member probabilities over gRPC.")
public final class InferenceServer implements Callable<Integer> {
    public static final int DEFAULT_PORT = 50052;
    public static final int DEFAULT_METRICS_PORT = 9102;
    /** Threads answering REST requests at once; each waits on the engine, which bounds the work itself. */
    static final int HTTP_THREADS = 16;
    /**
     * Calls started on the transport thread: unary predictions, which run their forward there only while a compute
     * slot is free, and the health check, a map lookup (so it costs what the transport alone costs).
     */
    private static final String[] PREDICT_METHODS = {
        io.ensemblescope.api.v1.InferenceServiceGrpc.getPredictMethod().getFullMethodName(),
        io.ensemblescope.api.oip.GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
        io.grpc.health.v1.HealthGrpc.getCheckMethod().getFullMethodName()};

    @Mixin
    ServerOptions listen = new ServerOptions(DEFAULT_PORT, DEFAULT_METRICS_PORT);

    @Mixin
    StoreOption store = new StoreOption();

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default auto).")
    String device;

    @Option(names = "--replica-threads", defaultValue = "0",
            description = "PyTorch threads per Deep-Ensemble replica; 0 = cores / k, at least 1.")
    int replicaThreads;

    @Option(names = "--compute-threads", defaultValue = "0",
            description = "Threads running unbatched forwards, each with cores / threads PyTorch threads"
                    + " (at least 1); 0 = number of cores.")
    int computeThreads;

    @Option(names = "--fused-layer-budget-mib", defaultValue = "16",
            description = "Largest fused serving tensors per layer, MiB: BatchEnsemble fast weights folded per member,"
                    + " Deep-Ensemble replicas stacked, BatchNorm folded (docs/INFERENCE.md); layers beyond it run"
                    + " factored; negative serves the training forward (default ${DEFAULT-VALUE}).")
    long fusedLayerBudgetMib;

    @Option(names = "--deep-ensemble", defaultValue = "stacked",
            description = "Deep-Ensemble replicas as one stacked forward (stacked) or one thread each (threads);"
                    + " default ${DEFAULT-VALUE}.")
    String deepEnsemble;

    @Option(names = "--predict-on-transport-thread", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start unary predictions on the gRPC transport thread (default on).")
    boolean predictOnTransportThread;

    @Option(names = "--max-batch-size", defaultValue = "0",
            description = "Default dynamic batching: samples per coalesced forward; 0 disables.")
    int maxBatchSize;

    @Option(names = "--max-queue-delay-micros", defaultValue = "500",
            description = "Default dynamic batching: longest wait for company, microseconds.")
    long maxQueueDelayMicros;

    @Option(names = "--max-queue-size", defaultValue = "1024", description = "Waiting requests per model.")
    int maxQueueSize;

    @Option(names = "--http-port", defaultValue = "-1",
            description = "Open Inference Protocol (KServe v2) REST port, /v2/...; -1 (default) serves none, 0 any.")
    int httpPort;

    @Option(names = "--max-inbound-bytes", defaultValue = "67108864", description = "Largest gRPC message accepted.")
    int maxInboundBytes;

    @Option(names = "--limit-batching-delay-micros", defaultValue = "100000",
            description = "Largest max_queue_delay_micros a LoadModel request may set (default ${DEFAULT-VALUE}).")
    long limitQueueDelayMicros;

    @Option(names = "--limit-batching-queue", defaultValue = "1024",
            description = "Largest max_queue_size a LoadModel request may set (default ${DEFAULT-VALUE}).")
    int limitQueueSize;

    @Option(names = "--max-request-cost", defaultValue = "67108864",
            description = "Most work one Predict may ask for: samples × members (MC-Dropout passes) × sample"
                    + " elements; more is RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE}).")
    long maxRequestCost;

    @Option(names = "--autoload", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Load a model on its first request (default on; --no-autoload turns it off).")
    boolean autoload;

    @Option(names = "--monitoring", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Uncertainty monitoring: histograms, drift and outcome feedback (default on;"
                    + " --no-monitoring turns it off).")
    boolean monitoring;

    @Option(names = "--drift-window", defaultValue = "1000",
            description = "Served samples per model in the drift window (default ${DEFAULT-VALUE}).")
    int driftWindow;

    @Option(names = "--outcome-window", defaultValue = "10000",
            description = "Labeled samples per model in the rolling calibration window (default ${DEFAULT-VALUE}).")
    int outcomeWindow;

    @Option(names = "--outcome-pending-mib", defaultValue = "16",
            description = "Memory per model for predictions awaiting their outcome, MiB (default ${DEFAULT-VALUE}).")
    long outcomePendingMib;

    @Override
    public Integer call() throws Exception {
        listen.security(); // a refused --host or unreadable credentials fail before anything starts
        CheckpointStore checkpoints = new CheckpointStore(store.readable());
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        Running running = start(listen, httpPort, maxInboundBytes, new InferenceEngine(checkpoints, options(), registry),
                registry, monitoringOptions());
        running.server().blockUntilShutdown();
        running.engine().close();
        return 0;
    }

    ServingOptions options() {
        Device primary = Engines.device(device);
        List<Device> devices = new ArrayList<>(List.of(primary));
        int gpus = Engines.pytorch().getGpuCount();
        if (primary.isGpu() && device.trim().equalsIgnoreCase("auto")) {
            // Deep-Ensemble replicas spread over every GPU the engine sees.
            for (int i = 1; i < gpus; i++) {
                devices.add(Device.gpu(i));
            }
        }
        ServingOptions d = ServingOptions.defaults(primary);
        return new ServingOptions(devices, replicaThreads,
                computeThreads > 0 ? computeThreads : d.computeThreads(), d.computeQueue(),
                new BatchingConfig(maxBatchSize, maxQueueDelayMicros, maxQueueSize), d.maxRequestBatch(),
                d.maxMcSamples(), d.maxForwardRows(), autoload,
                new BatchingLimits(d.maxRequestBatch(), limitQueueDelayMicros, limitQueueSize), maxRequestCost)
                .withFusion(fusedLayerBudgetMib < 0 ? -1 : Math.multiplyExact(fusedLayerBudgetMib, 1L << 20),
                        switch (deepEnsemble) {
                            case "stacked" -> true;
                            case "threads" -> false;
                            default -> throw new IllegalArgumentException("--deep-ensemble must be stacked or threads,"
                                    + " got " + io.ensemblescope.core.text.ClientText.quote(deepEnsemble));
                        })
                .withPredictOnTransportThread(predictOnTransportThread);
    }

    /** The monitoring flags, or null with --no-monitoring. */
    MonitoringOptions monitoringOptions() {
        return monitoring ? new MonitoringOptions(driftWindow, outcomeWindow, Math.multiplyExact(outcomePendingMib, 1L << 20),
                MonitoringOptions.DEFAULT.pendingRequests()) : null;
    }

    /**
     * A started server, the engine behind it, its uncertainty monitor (null when off) and its Open Inference Protocol
     * REST binding (null when off).
     */
    public record Running(ServiceServer server, InferenceEngine engine, UncertaintyMonitor monitor, OipHttpServer http) {
        /** Stops the REST binding and the gRPC server (each draining its calls), then the engine. */
        public void stop() throws InterruptedException {
            server.stop(30);
            engine.close();
        }

        /** The REST port, or -1 when none is served. */
        public int httpPort() {
            return http == null ? -1 : http.port();
        }
    }

    /** Starts the service on {@code port} (0: any) with metrics on {@code metricsPort} (0: any, negative: none). */
    public static Running start(int port, int metricsPort, int maxInboundBytes, CheckpointStore store,
                                ServingOptions options) throws IOException {
        return start(port, metricsPort, maxInboundBytes, store, options, MonitoringOptions.DEFAULT);
    }

    /** As above, with uncertainty monitoring sized by {@code monitoring} (null: off). */
    public static Running start(int port, int metricsPort, int maxInboundBytes, CheckpointStore store,
                                ServingOptions options, MonitoringOptions monitoring) throws IOException {
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        return start(port, metricsPort, maxInboundBytes, new InferenceEngine(store, options, registry), registry,
                monitoring);
    }

    public static Running start(int port, int metricsPort, int maxInboundBytes, InferenceEngine engine,
                                PrometheusMeterRegistry registry) throws IOException {
        return start(port, metricsPort, -1, maxInboundBytes, engine, registry, MonitoringOptions.DEFAULT);
    }

    /** Serves {@code engine} with the Open Inference Protocol's REST binding on {@code httpPort} (negative: none). */
    public static Running start(int port, int metricsPort, int httpPort, int maxInboundBytes,
                                InferenceEngine engine, PrometheusMeterRegistry registry) throws IOException {
        return start(port, metricsPort, httpPort, maxInboundBytes, engine, registry, MonitoringOptions.DEFAULT);
    }

    /** Serves {@code engine} without REST; with {@code monitoring} non-null, observes it before the first call. */
    public static Running start(int port, int metricsPort, int maxInboundBytes, InferenceEngine engine,
                                PrometheusMeterRegistry registry, MonitoringOptions monitoring) throws IOException {
        return start(port, metricsPort, -1, maxInboundBytes, engine, registry, monitoring);
    }

    /** As below, plaintext on loopback with {@code port} and {@code metricsPort}. */
    public static Running start(int port, int metricsPort, int httpPort, int maxInboundBytes, InferenceEngine engine,
                                PrometheusMeterRegistry registry, MonitoringOptions monitoring) throws IOException {
        return start(new ServerOptions(port, metricsPort), httpPort, maxInboundBytes, engine, registry, monitoring);
    }

    /**
     * Starts the native and the Open Inference Protocol gRPC services as {@code listen} says (ports, host, TLS,
     * authorization), and the protocol's REST binding on {@code httpPort} (0: any, negative: none) with the same
     * host, TLS and authorization, all over the one engine; with {@code monitoring} non-null, the engine is observed
     * by an uncertainty monitor before the first call.
     */
    public static Running start(ServerOptions listen, int httpPort, int maxInboundBytes, InferenceEngine engine,
                                PrometheusMeterRegistry registry, MonitoringOptions monitoring) throws IOException {
        UncertaintyMonitor monitor = monitoring == null ? null : new UncertaintyMonitor(monitoring, registry);
        if (monitor != null) {
            engine.observe(monitor);
        }
        InferenceGrpcService service = new InferenceGrpcService(engine, monitor);
        OpenInference oip = new OpenInference(engine);
        OipHttpServer http = httpPort < 0 ? null : OipHttpServer.start(oip, listen.security(), httpPort,
                maxInboundBytes, registry, HTTP_THREADS);
        ServiceServer server = listen.configure(ServiceServer.builder("inference", registry))
                .maxInboundMessageBytes(maxInboundBytes).addService(service).addService(new OipGrpcService(oip))
                .onTransportThread(engine.options().predictOnTransportThread() ? PREDICT_METHODS : new String[0])
                .beforeStop(oip::stopping).beforeStop(() -> stopQuietly(http)).build();
        service.reportHealth(server.health());
        try {
            return new Running(server.start(), engine, monitor, http);
        } catch (IOException | RuntimeException e) {
            stopQuietly(http);
            throw e;
        }
    }

    private static void stopQuietly(OipHttpServer http) {
        if (http == null) {
            return;
        }
        try {
            http.stop(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        Engines.offline();
        System.exit(CommandLines.oneLineErrors(new InferenceServer(), "inference-server").execute(args));
    }
}
