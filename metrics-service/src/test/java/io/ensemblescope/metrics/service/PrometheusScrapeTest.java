package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.testing.RandomProbabilities;
import io.ensemblescope.testing.Promtool;
import io.ensemblescope.rpc.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server main's wiring over real sockets: health, Evaluate, and a Prometheus scrape carrying the service's meters
 * that `promtool check metrics` accepts. Skipped only where promtool is not installed (.ci/run installs the Debian
 * prometheus package, which provides it).
 */
class PrometheusScrapeTest {
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
            EvaluationReport report = InProcessMetricsService.evaluate(channel, List.of(
                    Chunks.chunk(Chunks.split(SplitKind.IN_DISTRIBUTION, "mnist-test"),
                            RandomProbabilities.members(rnd, 4, 64, 10), 4, 64, 10, labels),
                    Chunks.chunk(Chunks.split(SplitKind.OOD, "fashion-mnist"),
                            RandomProbabilities.members(rnd, 4, 32, 10), 4, 32, 10, null)));

            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(text.contains("escope_metrics_samples_evaluated_total{service=\"metrics-service\"} 96.0"),
                    text);
            assertTrue(text.contains("escope_metrics_evaluation_seconds_count{service=\"metrics-service\"} 1"));
            assertEquals(2, report.getSplitsCount());
            // Evaluate's model and split names are a data-plane client's words: they label no series.
            assertFalse(text.contains("escope_metrics_report_"), "no report gauges from Evaluate");
            assertTrue(text.contains("grpc_server_requests_received_messages_total{grpc_service=\""
                    + MetricsServiceGrpc.SERVICE_NAME + "\""), "gRPC meters keep the gRPC service apart");
            assertFalse(java.util.regex.Pattern.compile("[{,]service=\"" + MetricsServiceGrpc.SERVICE_NAME)
                    .matcher(text).find(), "the service tag stays the EnsembleScope service's");

            Promtool.assertValid(text);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop(5);
        }
    }
}
