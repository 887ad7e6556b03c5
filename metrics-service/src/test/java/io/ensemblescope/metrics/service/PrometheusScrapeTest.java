package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.math.RandomProbabilities;
import io.ensemblescope.rpc.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The server main's wiring over real sockets: health, Evaluate, and a Prometheus scrape carrying the service's meters
 * that `promtool check metrics` accepts. Skipped only where promtool is not installed (.ci/run installs the Debian
 * prometheus package, which provides it).
 */
class PrometheusScrapeTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void scrapeCarriesTheMetersAndPassesPromtool() throws Exception {
        ServiceServer server = MetricsServer.start(0, 0, "", EvaluationLimits.DEFAULT,
                EvaluationDataSource.unconfigured(), CheckpointWeights.unimplemented());
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
                    .setService(MetricsServiceGrpc.SERVICE_NAME).build());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());

            Random rnd = new Random(4);
            int[] labels = RandomProbabilities.labels(rnd, 64, 10);
            EvaluationReport report = evaluate(channel, List.of(
                    Chunks.chunk(Chunks.split(SplitKind.IN_DISTRIBUTION, "mnist-test"),
                            RandomProbabilities.members(rnd, 4, 64, 10), 4, 64, 10, labels),
                    Chunks.chunk(Chunks.split(SplitKind.OOD, "fashion-mnist"),
                            RandomProbabilities.members(rnd, 4, 32, 10), 4, 32, 10, null)));

            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Files.writeString(Path.of("target/metrics-scrape.txt"), text);
            assertTrue(text.contains("escope_metrics_samples_evaluated_total{service=\"metrics-service\"} 96.0"),
                    text);
            assertTrue(text.contains("escope_metrics_evaluation_seconds_count{service=\"metrics-service\"} 1"));
            String model = Chunks.MODEL.getName();
            assertTrue(text.contains("escope_metrics_report_accuracy{model=\"" + model
                    + "\",service=\"metrics-service\",split=\"mnist-test\"} " + report.getSplits(0).getAccuracy()));
            assertTrue(text.contains("escope_metrics_report_auroc{model=\"" + model
                    + "\",score=\"mutual_information\",service=\"metrics-service\",split=\"fashion-mnist\"}"));
            assertTrue(text.contains("escope_metrics_report_disagreement{"));
            assertTrue(text.contains("grpc_server_requests_received_messages_total"), "gRPC meters present");

            Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed");
            Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                    .start();
            promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, promtool.exitValue(), "promtool check metrics: " + out);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop(5);
        }
    }

    private static EvaluationReport evaluate(ManagedChannel channel, List<EvaluationChunk> chunks) throws Exception {
        CompletableFuture<EvaluationReport> result = new CompletableFuture<>();
        StreamObserver<EvaluationChunk> requests = MetricsServiceGrpc.newStub(channel).evaluate(new StreamObserver<>() {
            @Override
            public void onNext(EvaluationReport r) {
                result.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        chunks.forEach(requests::onNext);
        requests.onCompleted();
        return result.get(30, TimeUnit.SECONDS);
    }
}
