package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.BatchingConfig;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the server lets calls already in flight finish. */
class ShutdownTest {
    @Test
    void gracefulShutdownDrainsInFlightCalls() throws Exception {
        ServingOptions options = ServingOptions.defaults(Device.cpu())
                .withBatching(new BatchingConfig(256, 400_000, 0));
        ServerHarness server = new ServerHarness(options, ForwardListener.NONE);
        server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.DE, 0, 1));
        List<CompletableFuture<PredictResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int from = i;
            inFlight.add(CompletableFuture.supplyAsync(() -> server.blocking.predict(
                    ServerHarness.pixels(TinyCheckpoints.DE, from, 2))));
        }
        Thread.sleep(150); // all four wait in the batcher's 400 ms window
        server.running.stop();
        for (CompletableFuture<PredictResponse> f : inFlight) {
            assertEquals(2, f.get(10, TimeUnit.SECONDS).getMemberProbabilities().getMembers());
        }
        server.channel.shutdownNow();
    }
}
