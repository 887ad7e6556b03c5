package io.ensemblescope.cli;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.service.CatalogDataSource;
import io.ensemblescope.metrics.service.InferenceChannels;
import io.ensemblescope.metrics.service.InferenceTargets;
import io.ensemblescope.metrics.service.MetricsServer;
import io.ensemblescope.metrics.service.StoreCheckpointWeights;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.rpc.security.ServerSecurity;
import io.ensemblescope.trainer.TrainerServer;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The three services in this JVM, each a real gRPC server sharing one checkpoint store and one
 * {@link ServerSecurity} (host, TLS, tokens): what {@code escope serve all} runs and what {@code escope reproduce}
 * starts, on loopback without authentication, when no remote services are named. The metrics service streams
 * evaluations to the inference service over the in-process transport: the hop never leaves the JVM, so it needs
 * neither TLS nor a token of its own.
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
        return start(store, device, ports, metricsPorts, DataDirectories.NONE, ServerSecurity.loopback(), true,
                MonitoringOptions.DEFAULT);
    }

    /** As above, with the inference service's uncertainty monitoring sized by {@code monitoring}, for a command. */
    public static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                      MonitoringOptions monitoring) throws Exception {
        return start(store, device, ports, metricsPorts, DataDirectories.NONE, ServerSecurity.loopback(), false,
                monitoring);
    }

    /**
     * @param dataDirs the data directories the metrics service offers to the datasets an evaluation names
     * @param security how every port is bound and secured
     * @param resumeInterrupted whether the trainer resumes interrupted jobs of the store when it starts (a server
     *     does; a command that submits its own jobs resumes the ones it needs itself)
     */
    public static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                      DataDirectories dataDirs, ServerSecurity security, boolean resumeInterrupted)
            throws Exception {
        return start(store, device, ports, metricsPorts, dataDirs, security, resumeInterrupted,
                MonitoringOptions.DEFAULT);
    }

    private static LocalServices start(Path store, String device, int[] ports, int[] metricsPorts,
                                       DataDirectories dataDirs, ServerSecurity security, boolean resumeInterrupted,
                                       MonitoringOptions monitoring) throws Exception {
        Engines.offline();
        Device dev = Engines.device(device);
        ServiceServer trainer = TrainerServer.start(listen(ports, metricsPorts, 0, security), store, device,
                resumeInterrupted);
        InferenceServer.Running inference = null;
        String inProcess = "escope-inference-" + UUID.randomUUID();
        try {
            PrometheusMeterRegistry registry = Meters.newRegistry("inference");
            inference = InferenceServer.start(listen(ports, metricsPorts, 1, security).inProcess(inProcess), -1,
                    ClientSecurity.MAX_INBOUND_BYTES, new InferenceEngine(new CheckpointStore(store),
                            ServingOptions.defaults(dev), registry), registry, monitoring);
            ServiceServer metrics = MetricsServer.start(listen(ports, metricsPorts, 2, security),
                    new InferenceChannels(target -> InProcessChannelBuilder.forName(target)
                            .maxInboundMessageSize(ClientSecurity.MAX_INBOUND_BYTES).build()),
                    InferenceTargets.only(inProcess), EvaluationLimits.DEFAULT,
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

    private static ServerOptions listen(int[] ports, int[] metricsPorts, int i, ServerSecurity security) {
        return new ServerOptions(ports[i], metricsPorts[i]).security(security);
    }

    public String trainerTarget() {
        return target(trainer);
    }

    public String inferenceTarget() {
        return target(inference.server());
    }

    /** The in-process inference service's serving core (for memory probes). */
    public io.ensemblescope.inference.serving.InferenceEngine inferenceEngine() {
        return inference.engine();
    }

    /** The inference service's Prometheus endpoint (when started with a metrics port). */
    public String inferenceMetricsUrl() {
        return "http://" + metricsAddress(inference.server()) + "/metrics";
    }

    public String metricsTarget() {
        return target(metrics);
    }

    /** host:port of a server, as a client dials it (loopback for a server bound to every interface). */
    private static String target(ServiceServer server) {
        String host = server.host().equals("0.0.0.0") ? ServerSecurity.LOOPBACK : server.host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
    }

    /** One line per service: gRPC address and /metrics URL. */
    public String describe() {
        String grpc = trainer.security().tls() ? "grpcs" : "grpc";
        return String.format("trainer   %s %s  metrics http://%s/metrics%n"
                        + "inference %s %s  metrics http://%s/metrics%n"
                        + "metrics   %s %s  metrics http://%s/metrics",
                grpc, trainerTarget(), metricsAddress(trainer), grpc, inferenceTarget(),
                metricsAddress(inference.server()), grpc, metricsTarget(), metricsAddress(metrics));
    }

    private static String metricsAddress(ServiceServer server) {
        String target = target(server);
        return target.substring(0, target.lastIndexOf(':')) + ":" + server.metricsPort();
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
