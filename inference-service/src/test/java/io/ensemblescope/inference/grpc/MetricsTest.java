package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint carries the serving meters and passes promtool's checks. */
class MetricsTest {
    @Test
    void prometheusEndpointServesTheServingMetersAndPassesPromtool(@TempDir Path dir) throws Exception {
        String text;
        try (ServerHarness server = new ServerHarness(ServingOptions.defaults(Device.cpu()), ForwardListener.NONE)) {
            server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.BE, 0, 3));
            assertThrows(StatusRuntimeException.class, () -> server.blocking.predict(
                    ServerHarness.pixels(TinyCheckpoints.BE, 0, 3).toBuilder().setMcSamples(2).build()));
            HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.running.server().metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode());
            text = resp.body();
        }
        for (String expected : new String[] {
            "inference_requests_total{method=\"BATCH_ENSEMBLE\",model=\"be\"",
            "inference_failures_total{method=\"BATCH_ENSEMBLE\",model=\"be\",reason=\"invalid_argument\"",
            "inference_queue_seconds_bucket{", "inference_compute_seconds_bucket{",
            "inference_total_seconds_bucket{", "le=\"5.0E-5\"", "le=\"10.0\"",
            "inference_batch_size_samples_bucket{", "inference_in_flight", "inference_members_count{method=\"BATCH_ENSEMBLE\",model=\"be\"", "inference_models_loaded",
            "process_resident_memory_bytes", "jvm_memory_used_bytes", "grpc_server_processing_duration_seconds"}) {
            assertTrue(text.contains(expected), "metrics contain " + expected);
        }
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }
}
