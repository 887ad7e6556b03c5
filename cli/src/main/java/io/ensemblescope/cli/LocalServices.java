package io.ensemblescope.cli;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.service.CatalogDataSource;
import io.ensemblescope.metrics.service.MetricsServer;
import io.ensemblescope.metrics.service.StoreCheckpointWeights;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.trainer.TrainerServer;
import java.nio.file.Path;

/**
 * The three services in this JVM, each a real gRPC server on loopback sharing one checkpoint store: what
 * {@code escope serve all} runs and what {@code escope reproduce} starts when no remote services are named.
 */
public final class LocalServices implements AutoCloseable {
    private final ServiceServer trainer;
    private final InferenceServer.Running inference;
    private final ServiceServer metrics;

    private LocalServices(ServiceServer trainer, InferenceServer.Running inference, ServiceServer metrics) {
        this.trainer = trainer;
        this.inference = inference;
        this.metrics = metrics;
    }

    /**
     * @param ports gRPC ports of trainer, inference, metrics (0: any free port)
     * @param metricsPorts their Prometheus ports (0: any free port, negative: none)
     */
    public static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts) throws Exception {
        return start(store, device, ports, metricsPorts, DataDirectories.NONE, true, MonitoringOptions.DEFAULT);
    }

    /** As above, with the inference service's uncertainty monitoring sized by {@code monitoring}, for a command. */
    public static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                      MonitoringOptions monitoring) throws Exception {
        return start(store, device, ports, metricsPorts, DataDirectories.NONE, false, monitoring);
    }

    /**
     * @param dataDirs the data directories the metrics service offers to the datasets an evaluation names
     * @param resumeInterrupted whether the trainer resumes interrupted jobs of the store when it starts (a server
     *     does; a command that submits its own jobs resumes the ones it needs itself)
     */
    public static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                      DataDirectories dataDirs, boolean resumeInterrupted) throws Exception {
        return start(store, device, ports, metricsPorts, dataDirs, resumeInterrupted, MonitoringOptions.DEFAULT);
    }

    private static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                       DataDirectories dataDirs, boolean resumeInterrupted,
                                       MonitoringOptions monitoring) throws Exception {
        Engines.offline();
        Device dev = Engines.device(device);
        ServiceServer trainer = TrainerServer.start(ports[0], metricsPorts[0], store, device, resumeInterrupted);
        InferenceServer.Running inference = null;
        try {
            inference = InferenceServer.start(ports[1], metricsPorts[1], 64 << 20, new CheckpointStore(store),
                    ServingOptions.defaults(dev), monitoring);
            ServiceServer metrics = MetricsServer.start(ports[2], metricsPorts[2],
                    "127.0.0.1:" + inference.server().port(), EvaluationLimits.DEFAULT,
                    new CatalogDataSource(DatasetCatalog.shared(), dataDirs),
                    new StoreCheckpointWeights(new CheckpointStore(store)));
            return new LocalServices(trainer, inference, metrics);
        } catch (Exception e) {
            trainer.stop(5);
            if (inference != null) {
                inference.stop();
            }
            throw e;
        }
    }

    public String trainerTarget() {
        return "127.0.0.1:" + trainer.port();
    }

    public String inferenceTarget() {
        return "127.0.0.1:" + inference.server().port();
    }

    /** The in-process inference service's serving core (for memory probes). */
    public io.ensemblescope.inference.serving.InferenceEngine inferenceEngine() {
        return inference.engine();
    }

    /** The inference service's Prometheus endpoint (when started with a metrics port). */
    public String inferenceMetricsUrl() {
        return "http://127.0.0.1:" + inference.server().metricsPort() + "/metrics";
    }

    public String metricsTarget() {
        return "127.0.0.1:" + metrics.port();
    }

    /** One line per service: gRPC address and /metrics URL. */
    public String describe() {
        return String.format("trainer   grpc %s  metrics http://127.0.0.1:%d/metrics%n"
                        + "inference grpc %s  metrics http://127.0.0.1:%d/metrics%n"
                        + "metrics   grpc %s  metrics http://127.0.0.1:%d/metrics",
                trainerTarget(), trainer.metricsPort(), inferenceTarget(), inference.server().metricsPort(),
                metricsTarget(), metrics.metricsPort());
    }

    public void blockUntilShutdown() throws InterruptedException {
        trainer.blockUntilShutdown();
    }

    @Override
    public void close() throws InterruptedException {
        metrics.stop(10);
        inference.stop();
        trainer.stop(10);
    }
}
