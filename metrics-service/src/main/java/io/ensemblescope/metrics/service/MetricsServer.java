package io.ensemblescope.metrics.service;

import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.rpc.CommandLines;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.StoreOption;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The metrics service's main: gRPC (with health and reflection) plus a Prometheus endpoint. */
@Command(name = "metrics-server", mixinStandardHelpOptions = true,
        description = "Serves EnsembleScope's MetricsService: Evaluate, RunEvaluation, WeightDiversity.")
public final class MetricsServer implements Callable<Integer> {
    public static final int DEFAULT_PORT = 50053;
    public static final int DEFAULT_METRICS_PORT = 9103;

    @Mixin
    ServerOptions listen = new ServerOptions(DEFAULT_PORT, DEFAULT_METRICS_PORT);

    @Mixin
    StoreOption store = new StoreOption();

    @Option(names = "--inference-target", defaultValue = "",
            description = "Inference service host:port used when a RunEvaluation request names none.")
    String inferenceTarget;

    @Option(names = "--named-inference-target", paramLabel = "NAME=HOST:PORT",
            description = "Another inference service a RunEvaluation request may name (repeatable); requests never"
                    + " name an address themselves.")
    java.util.List<String> namedInferenceTargets = new java.util.ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "NAME=DIR",
            description = "A data directory a RunEvaluation dataset may name as its path, e.g. svhn=/data/svhn"
                    + " (repeatable; adds to " + DataDirectories.ENV + ").")
    java.util.List<String> dataDirs = new java.util.ArrayList<>();

    @Mixin
    InferenceClientOptions inferenceClient = new InferenceClientOptions();

    @Option(names = "--max-samples", defaultValue = "20000000",
            description = "Most samples one evaluation may hold (about 30 bytes each are kept).")
    long maxSamples;

    public static void main(String[] args) {
        Engines.offline();
        System.exit(CommandLines.oneLineErrors(new MetricsServer(), "metrics-server").execute(args));
    }

    @Override
    public Integer call() throws Exception {
        start().blockUntilShutdown();
        return 0;
    }

    /** Builds and starts the server with this command's options; the caller stops it. */
    public ServiceServer start() throws java.io.IOException {
        listen.security(); // a refused --host or unreadable credentials fail before anything starts
        // WeightDiversity reads checkpoints from the store the trainer writes.
        CheckpointStore checkpoints = new CheckpointStore(store.readable());
        return start(listen, InferenceChannels.with(inferenceClient.resolve(listen.reloadPeriod())),
                InferenceTargets.of(inferenceTarget, namedInferenceTargets),
                new EvaluationLimits(EvaluationLimits.DEFAULT.maxMembers(), EvaluationLimits.DEFAULT.maxSplits(),
                        maxSamples),
                new CatalogDataSource(DatasetCatalog.shared(), DataDirectories.fromEnvironment(System::getenv)
                        .with(DataDirectories.of(dataDirs))),
                new StoreCheckpointWeights(checkpoints));
    }

    /** Builds and starts the server with only a default inference target ("" for none). */
    public static ServiceServer start(int port, int metricsPort, String inferenceTarget, EvaluationLimits limits,
                                      EvaluationDataSource data, CheckpointWeights weights) throws java.io.IOException {
        return start(port, metricsPort, InferenceTargets.only(inferenceTarget), limits, data, weights);
    }

    /** Builds and starts the server on loopback, reaching inference services in plaintext; the caller stops it. */
    public static ServiceServer start(int port, int metricsPort, InferenceTargets inferenceTarget,
                                      EvaluationLimits limits, EvaluationDataSource data, CheckpointWeights weights)
            throws java.io.IOException {
        return start(new ServerOptions(port, metricsPort), InferenceChannels.with(ClientSecurity.PLAINTEXT),
                inferenceTarget, limits, data, weights);
    }

    /**
     * Builds and starts the server as {@code listen} says (ports, host, TLS, authorization), dialing inference
     * services through {@code channels} (closed with the server); the caller stops it.
     */
    public static ServiceServer start(ServerOptions listen, InferenceChannels channels,
                                      InferenceTargets inferenceTarget, EvaluationLimits limits,
                                      EvaluationDataSource data, CheckpointWeights weights) throws java.io.IOException {
        PrometheusMeterRegistry registry = Meters.newRegistry("metrics-service");
        MetricsMeters meters = new MetricsMeters(registry);
        ExecutorService runs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "run-evaluation");
            t.setDaemon(true);
            return t;
        });
        EvaluationRunner runner = new EvaluationRunner(data, channels, inferenceTarget, limits, meters, runs);
        return listen.configure(ServiceServer.builder("metrics-service", registry))
                .addService(new MetricsServiceImpl(limits, meters, runner, weights))
                .beforeStop(runs::shutdownNow)
                .beforeStop(channels::close)
                .build()
                .start();
    }
}
