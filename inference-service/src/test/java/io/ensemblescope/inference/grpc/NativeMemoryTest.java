package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.rpc.Meters;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests release every native array they make: the model's live-array count and the process RSS stay flat. */
class NativeMemoryTest {
    /**
     * A leak grows memory steadily: every request here allocates about 10 KB of native input and output, so leaking
     * them would add about 25 MB per 2,500-request window, in every window. Allocator noise (arena growth, a thread
     * stack) comes in one-off steps. So the test asks that at least one of two consecutive windows stays under
     * {@link #WINDOW_TOLERANCE_BYTES} and the two together under {@link #TOTAL_TOLERANCE_BYTES}.
     */
    private static final double WINDOW_TOLERANCE_BYTES = 12.0 * 1024 * 1024;
    private static final double TOTAL_TOLERANCE_BYTES = 48.0 * 1024 * 1024;
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

    /** 8,000 requests in all (3,000 to warm up, then two measured windows): minutes, so it runs with -Pslow. */
    @Test
    @Tag("slow")
    void fiveThousandRequestsLeaveNativeArraysAndRssFlat() throws InterruptedException {
        PredictRequest r = ServerHarness.pixels(TinyCheckpoints.SINGLE, 3, 1);
        run(r, 3_000);
        int arrays = liveArrays(TinyCheckpoints.SINGLE);
        double start = settledNativeBytes();
        run(r, 2_500);
        double middle = settledNativeBytes();
        run(r, 2_500);
        double end = settledNativeBytes();
        assertEquals(arrays, liveArrays(TinyCheckpoints.SINGLE), "live native arrays after 5,000 requests");
        double first = middle - start;
        double second = end - middle;
        String growth = String.format("native memory grew by %.1f MB then %.1f MB over two 2,500-request windows",
                first / 1e6, second / 1e6);
        assertTrue(Math.min(first, second) < WINDOW_TOLERANCE_BYTES, growth);
        assertTrue(first + second < TOTAL_TOLERANCE_BYTES, growth);
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
