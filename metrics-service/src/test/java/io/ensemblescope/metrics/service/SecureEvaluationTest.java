package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.RunEvaluationEvent;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.testing.TestPki;
import io.ensemblescope.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The metrics service as a client: {@code escope serve metrics} with its own TLS and tokens, reaching a TLS inference
 * service with {@code --inference-tls-ca} and {@code --inference-token-file}, as the chart deploys them.
 */
class SecureEvaluationTest {
    @TempDir
    static Path root;

    private static TestPki pki;
    private static TestTokens tokens;
    private static InferenceServer.Running inference;
    private static final List<ServiceServer> servers = new ArrayList<>();
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        CheckpointStore checkpoints = new CheckpointStore(store);
        TrainingData data = TrainingData.holdOut(DatasetCatalog.shared().load(
                new DatasetRequest("mnist", Subset.TRAIN, 0, 1_000, "", null, 0)), 0.2);
        NetworkSpec spec = new NetworkSpec("mnist-mlp", Method.SINGLE, 1, 0.05f, 4, null);
        JobSpec job = new JobSpec("single", spec, new TrainConfig(OptimizerConfig.adam(3e-3f, 1e-4f), new int[0], 1f,
                1, 100, 0, false, false), Map.of("name", "mnist"), 0.2, JobSpec.expandSeeds(List.of(5L), 1));
        Path work = checkpoints.jobDir("job-single");
        LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
        CheckpointAssembler.assemble(checkpoints, job, data, work);

        pki = TestPki.create(root, "metrics-test");
        TestPki.Issued cert = pki.server("services", "localhost", "127.0.0.1");
        tokens = TestTokens.write(root);
        String[] serverTls = {"--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString(),
                "--auth-tokens", tokens.file().toString()};

        ServerOptions listen = new ServerOptions(0, -1);
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ServerOptions options = listen;
        }).parseArgs(serverTls);
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        inference = InferenceServer.start(listen, -1, 64 << 20, new InferenceEngine(checkpoints,
                ServingOptions.defaults(Device.cpu()), registry), registry, MonitoringOptions.DEFAULT);
    }

    /** {@code escope serve metrics} with these flags after the common ones. */
    private static ServiceServer metrics(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--metrics-port", "-1", "--store",
                root.resolve("store").toString(), "--inference-target", "127.0.0.1:" + inference.server().port(),
                "--tls-cert", root.resolve("services.crt").toString(), "--tls-key",
                root.resolve("services.key").toString(), "--auth-tokens", tokens.file().toString()));
        args.addAll(List.of(flags));
        MetricsServer command = new MetricsServer();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        ServiceServer server = command.start();
        servers.add(server);
        return server;
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (ServiceServer s : servers) {
            s.stop(5);
        }
        inference.stop();
    }

    private static MetricsServiceGrpc.MetricsServiceBlockingStub client(ServiceServer metrics, Path token) {
        ManagedChannel c = ClientSecurity.of("--", false, pki.caPem(), null, null, token, null, Duration.ZERO)
                .channel("127.0.0.1:" + metrics.port());
        channels.add(c);
        return MetricsServiceGrpc.newBlockingStub(c).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    private static EvaluationReport runEvaluation(MetricsServiceGrpc.MetricsServiceBlockingStub stub) {
        var events = stub.runEvaluation(RunEvaluationRequest.newBuilder().setEvaluationId("secure")
                .setModel(ModelRef.newBuilder().setName("single")).setBatchSize(100)
                .addDatasets(EvaluationDataset.newBuilder().setSplit(Split.newBuilder()
                                .setKind(SplitKind.IN_DISTRIBUTION).setName("mnist"))
                        .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(200))).build());
        while (events.hasNext()) {
            RunEvaluationEvent e = events.next();
            if (e.hasReport()) {
                return e.getReport();
            }
        }
        throw new AssertionError("no report");
    }

    @Test
    void runEvaluationStreamsToATlsInferenceServiceWithTheMetricsToken() throws Exception {
        ServiceServer metrics = metrics("--inference-tls-ca", pki.caPem().toString(), "--inference-token-file",
                tokens.metrics().toString());
        EvaluationReport report = runEvaluation(client(metrics, tokens.admin()));
        assertEquals(200, report.getSplits(0).getSamples());
        double accuracy = report.getSplits(0).getAccuracy();
        assertTrue(accuracy > 0.2, "a trained model beats chance (0.1): " + accuracy);

        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> runEvaluation(client(metrics, tokens.predict())));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), "server-side data is admin's");
    }

    @Test
    void anInferenceServiceRefusingTheMetricsServicesCredentialsIsAFailedPreconditionNotTheCallers()
            throws Exception {
        ServiceServer metrics = metrics("--inference-tls-ca", pki.caPem().toString());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> runEvaluation(client(metrics, tokens.admin())));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("refused this metrics service's credentials")
                && e.getStatus().getDescription().contains("UNAUTHENTICATED"), e.getStatus().getDescription());
    }
}
