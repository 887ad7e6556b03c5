package io.ensemblescope.inference.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.TinyCheckpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The serving core on its own (no gRPC): MC Dropout chunking and dynamic batching. */
class ServingCoreTest {
    private static PredictCall call(String model, int from, int n, int t) {
        ImageDataset d = TinyCheckpoints.testImages();
        byte[] px = Arrays.copyOfRange(d.pixels(), from * d.imageBytes(), (from + n) * d.imageBytes());
        return PredictCall.of(model, "", new InputTensor(new long[] {n, 1, 28, 28}, InputDType.UINT8,
                ByteBuffer.wrap(px)), t, false, model + from);
    }

    private static final class Counting implements ForwardListener {
        final AtomicInteger forwards = new AtomicInteger();
        final List<Long> rows = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void beforeForward(String model, Method method, int replica, long r) {
            forwards.incrementAndGet();
            rows.add(r);
        }
    }

    @Test
    void computeThreadsShareTheCoresLikeReplicaThreads() throws Exception {
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ForwardListener threads = new ForwardListener() {
            @Override
            public void beforeForward(String model, Method method, int replica, long rows) {
                seen.add(ai.djl.pytorch.jni.JniUtils.getNumThreads());
            }
        };
        ServingOptions d = ServingOptions.defaults(Device.cpu());
        // One compute thread may use every core; Surefire's JVM-wide setting is 1, so this sees the per-thread limit.
        ServingOptions options = new ServingOptions(d.devices(), 0, 1, 16, d.batching(), d.maxRequestBatch(),
                d.maxMcSamples(), d.maxForwardRows(), true);
        try (InferenceEngine engine = new InferenceEngine(TinyCheckpoints.store(), options,
                new SimpleMeterRegistry(), threads, TinyCheckpoints.store()::load)) {
            engine.predict(call(TinyCheckpoints.BE, 0, 1, 0)).get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(Runtime.getRuntime().availableProcessors()), seen);
        assertEquals(1, ServingOptions.defaults(Device.cpu()).computeIntraOpThreads(),
                "default: one compute thread per core, one PyTorch thread each");
    }

    @Test
    void mcDropoutRunsInChunksWhenTbDoesNotFit() throws Exception {
        Counting counting = new Counting();
        ServingOptions options = ServingOptions.defaults(Device.cpu()).withMaxForwardRows(20);
        try (InferenceEngine engine = new InferenceEngine(TinyCheckpoints.store(), options,
                new SimpleMeterRegistry(), counting, TinyCheckpoints.store()::load)) {
            Prediction p = engine.predict(call(TinyCheckpoints.MC, 0, 4, 9)).get(30, TimeUnit.SECONDS);
            assertEquals(9, p.members());
            // 9 passes over 4 samples with at most 20 rows per forward: 5 passes, then 4.
            assertEquals(List.of(20L, 16L), counting.rows);
            assertEquals(9 * 4 * 10, p.memberProbabilities().length);
        }
    }

    @Test
    void concurrentCallsCoalesceIntoOneForwardAndSplitBack() throws Exception {
        Counting counting = new Counting();
        ServingOptions options = ServingOptions.defaults(Device.cpu())
                .withBatching(new BatchingConfig(64, 300_000, 0));
        try (InferenceEngine engine = new InferenceEngine(TinyCheckpoints.store(), options,
                new SimpleMeterRegistry(), counting, TinyCheckpoints.store()::load)) {
            engine.predict(call(TinyCheckpoints.BE, 0, 1, 0)).get(30, TimeUnit.SECONDS);
            int before = counting.forwards.get();
            List<CompletableFuture<Prediction>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(engine.predict(call(TinyCheckpoints.BE, i * 8, 8, 0)));
            }
            Prediction alone = null;
            for (int i = 0; i < 8; i++) {
                Prediction p = calls.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(64, p.batchedSamples());
                assertEquals(8, p.batch());
                if (i == 3) {
                    alone = p;
                }
            }
            assertEquals(1, counting.forwards.get() - before, "eight full calls, one forward");
            Prediction single = engine.predict(call(TinyCheckpoints.BE, 24, 8, 0)).get(30, TimeUnit.SECONDS);
            float[] a = alone.memberProbabilities();
            float[] b = single.memberProbabilities();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-5f, "batched and unbatched answers agree at " + i);
            }
            assertTrue(single.queueMicros() >= 0);
        }
    }
}
