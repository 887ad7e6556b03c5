package io.ensemblescope.inference.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.oip.ServerReadyRequest;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the server: not ready at once, new REST requests refused (503), the one in flight answered. */
class OipShutdownTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void stoppingRefusesNewRestRequestsAndDrainsTheOneInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ForwardListener holding = new ForwardListener() {
            @Override
            public void beforeForward(String model, Method method, int replica, long rows) {
                if (rows == 3) { // only the request under test holds its forward
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        ServerHarness server = new ServerHarness(ServingOptions.defaults(Device.cpu()), holding);
        try {
            assertTrue(server.oip.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
            byte[] body = ("{\"inputs\": [{\"name\": \"input\", \"datatype\": \"UINT8\", \"shape\": [3, 1, 28, 28],"
                    + " \"data\": [" + "0,".repeat(3 * 784 - 1) + "0]}], \"outputs\": [{\"name\": \"probabilities\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(HttpRequest.newBuilder(
                    server.http.resolve("/v2/models/" + TinyCheckpoints.SINGLE + "/infer"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(60, TimeUnit.SECONDS), "the request reached its forward");

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.running.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            HttpResponse<String> refused = awaitStatus(server, 503, 10_000);
            assertTrue(refused.body().contains("shutting down"), refused.body());
            assertFalse(stopped.isDone(), "stop waits for the request in flight");

            release.countDown();
            HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            assertTrue(answered.body().contains("\"shape\":[3,10]"), answered.body());
            stopped.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            server.close();
        }
    }

    /** Polls /v2/health/ready until it answers {@code code}, for at most {@code millis}. */
    private static HttpResponse<String> awaitStatus(ServerHarness server, int code, long millis) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        HttpResponse<String> r;
        do {
            r = CLIENT.send(HttpRequest.newBuilder(server.http.resolve("/v2/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == code) {
                return r;
            }
            // Before the stop hook runs the server is still ready (200); after it, not ready (400), then closing.
            Thread.onSpinWait();
        } while (System.nanoTime() < end);
        throw new AssertionError("no " + code + " within " + millis + " ms; last " + r.statusCode() + " " + r.body());
    }
}
