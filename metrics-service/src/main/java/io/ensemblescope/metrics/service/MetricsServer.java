package io.ensemblescope.metrics.service;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServiceServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The metrics service's main: gRPC (with health and reflection) plus a Prometheus endpoint. */
@Command(name = "metrics-server", mixinStandardHelpOptions = true,
        description = "Serves EnsembleScope's MetricsService: Evaluate, RunEvaluation, WeightDiversity.")
public final class MetricsServer implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "50053", description = "gRPC port (0 picks a free one).")
    int port;

    @Option(names = "--metrics-port", defaultValue = "9103",
            description = "Prometheus /metrics HTTP port (0 picks a free one, negative serves none).")
    int metricsPort;

    @Option(names = "--inference-target", defaultValue = "",
            description = "Inference service host:port used when a RunEvaluation request names none.")
    String inferenceTarget;

    @Option(names = "--max-samples", defaultValue = "20000000",
            description = "Most samples one evaluation may hold (about 30 bytes each are kept).")
    long maxSamples;

    @Option(names = "--store", description = "Checkpoint store root, for WeightDiversity (default: the user cache).")
    java.nio.file.Path store = java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "ensemblescope",
            "checkpoints");

    public static void main(String[] args) {
        Engines.offline();
        System.exit(new CommandLine(new MetricsServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServiceServer server = start(port, metricsPort, inferenceTarget,
                new EvaluationLimits(EvaluationLimits.DEFAULT.maxMembers(), EvaluationLimits.DEFAULT.maxSplits(),
                        maxSamples),
                new CatalogDataSource(DatasetCatalog.shared()),
                new StoreCheckpointWeights(new io.ensemblescope.core.checkpoint.CheckpointStore(store)));
        server.blockUntilShutdown();
        return 0;
    }

    /** Builds and starts the server with the given seams; the caller stops it. */
    public static ServiceServer start(int port, int metricsPort, String inferenceTarget, EvaluationLimits limits,
                                      EvaluationDataSource data, CheckpointWeights weights) throws java.io.IOException {
        PrometheusMeterRegistry registry = Meters.newRegistry("metrics-service");
        MetricsMeters meters = new MetricsMeters(registry);
        InferenceChannels channels = InferenceChannels.plaintext();
        ExecutorService runs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "run-evaluation");
            t.setDaemon(true);
            return t;
        });
        EvaluationRunner runner = new EvaluationRunner(data, channels, inferenceTarget, limits, meters, runs);
        return ServiceServer.builder("metrics-service", registry)
                .port(port)
                .metricsPort(metricsPort)
                .addService(new MetricsServiceImpl(limits, meters, runner, weights))
                .beforeStop(runs::shutdownNow)
                .beforeStop(channels::close)
                .build()
                .start();
    }
}
