package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.BatchingConfig;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.ConnectivityState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the server lets calls already in flight finish. Every step waits on an event, never on time, so the
 * outcome does not depend on how many cores the JVM sees: the four calls run on their own four threads, the
 * batcher (8 rows, one full batch) starts their shared forward only once all four are queued, the forward holds
 * until the server has begun its graceful shutdown (its GOAWAY moves the client channel off READY), and only then do
 * the calls complete.
 */
class ShutdownTest {
    private static final int CALLS = 4;
    private static final int ROWS_PER_CALL = 2;

    @Test
    void gracefulShutdownDrainsInFlightCalls() throws Exception {
        CountDownLatch inForward = new CountDownLatch(1);
        CountDownLatch shutdownBegan = new CountDownLatch(1);
        ForwardListener holdFullBatch = new ForwardListener() {
            @Override
            public void beforeForward(String model, Method method, int replica, long rows) {
                if (rows != CALLS * ROWS_PER_CALL) {
                    return;
                }
                inForward.countDown();
                try {
                    shutdownBegan.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServingOptions options = ServingOptions.defaults(Device.cpu())
                .withBatching(new BatchingConfig(CALLS * ROWS_PER_CALL, TimeUnit.MINUTES.toMicros(1), 0));
        ServerHarness server = new ServerHarness(options, holdFullBatch);
        ExecutorService clients = Executors.newFixedThreadPool(CALLS + 1);
        try {
            server.blocking.loadModel(LoadModelRequest.newBuilder()
                    .setModel(ModelRef.newBuilder().setName(TinyCheckpoints.DE)).build());
            List<Future<PredictResponse>> inFlight = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                int from = i * ROWS_PER_CALL;
                inFlight.add(clients.submit(() -> server.blocking.predict(
                        ServerHarness.pixels(TinyCheckpoints.DE, from, ROWS_PER_CALL))));
            }
            assertTrue(inForward.await(30, TimeUnit.SECONDS), "the four calls reached one forward");
            ConnectivityState connected = server.channel.getState(false);
            assertEquals(ConnectivityState.READY, connected);
            server.channel.notifyWhenStateChanged(connected, shutdownBegan::countDown);

            Future<?> stopping = clients.submit(() -> {
                server.running.stop();
                return null;
            });
            for (Future<PredictResponse> call : inFlight) {
                PredictResponse r = call.get(30, TimeUnit.SECONDS);
                assertEquals(2, r.getMemberProbabilities().getMembers());
                assertEquals(ROWS_PER_CALL, r.getMemberProbabilities().getBatch());
            }
            assertEquals(0, shutdownBegan.getCount(), "the calls were answered after shutdown began");
            stopping.get(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
            server.channel.shutdownNow();
        }
    }
}
