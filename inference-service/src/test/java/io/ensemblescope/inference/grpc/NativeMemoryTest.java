package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.rpc.Meters;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests release every native array they make: the model's live-array count and the process RSS stay flat. */
class NativeMemoryTest {
    private static final double NATIVE_TOLERANCE_BYTES = 24.0 * 1024 * 1024;
    @AutoClose
    private static final ServerHarness server = ServerHarness.cpuDefaults();

    /**
     * Process memory outside the JVM's own heap and non-heap pools: RSS minus what the JVM has committed, so heap
     * growth (which the GC decides) does not mask or fake a native leak.
     */
    private static double settledNativeBytes() throws InterruptedException {
        System.gc();
        Thread.sleep(300); // G1 gives uncommitted heap back to the OS concurrently
        double least = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            least = Math.min(least, nativeBytes());
            Thread.sleep(100);
        }
        return least;
    }

    private static double nativeBytes() {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        return Meters.residentBytes() - memory.getHeapMemoryUsage().getCommitted()
                - memory.getNonHeapMemoryUsage().getCommitted();
    }

    private static int liveArrays(String model) {
        return server.engine.models().managerOf(model).getManagedArrays().size();
    }

    private static void run(PredictRequest r, int n) {
        for (int i = 0; i < n; i++) {
            server.blocking.predict(r);
        }
    }

    @Test
    void fiveThousandRequestsLeaveNativeArraysAndRssFlat() throws InterruptedException {
        PredictRequest r = ServerHarness.pixels(TinyCheckpoints.SINGLE, 3, 1);
        run(r, 3_000);
        int arrays = liveArrays(TinyCheckpoints.SINGLE);
        double before = settledNativeBytes();
        run(r, 5_000);
        assertEquals(arrays, liveArrays(TinyCheckpoints.SINGLE), "live native arrays after 5,000 requests");
        double grown = settledNativeBytes() - before;
        assertTrue(grown < NATIVE_TOLERANCE_BYTES, "native memory grew by " + grown / 1e6
                + " MB over 5,000 requests");
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyCheckpoints.MC, TinyCheckpoints.DE, TinyCheckpoints.BE})
    void everyMethodReleasesItsArrays(String model) {
        PredictRequest r = ServerHarness.pixels(model, 0, 4).toBuilder().setReturnLogits(true).build();
        run(r, 20);
        int arrays = liveArrays(model);
        run(r, 300);
        assertEquals(arrays, liveArrays(model), "live native arrays of " + model);
    }
}
