package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Predict over real gRPC against real checkpoints: outputs, forward counts and replica concurrency. */
class PredictTest {
    private static final Map<String, AtomicInteger> FORWARDS = new ConcurrentHashMap<>();
    /** Both Deep-Ensemble replicas must be inside their forward at once for this latch to open. */
    private static volatile CountDownLatch replicasTogether = new CountDownLatch(0);
    private static final Set<Integer> overlapped = ConcurrentHashMap.newKeySet();
    private static ServerHarness server;

    private static final ForwardListener COUNTING = new ForwardListener() {
            @Override
            public void beforeForward(String model, io.ensemblescope.core.models.Method method, int replica,
                                      long rows) {
                FORWARDS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
                if (method == io.ensemblescope.core.models.Method.DEEP_ENSEMBLE) {
                    CountDownLatch l = replicasTogether;
                    l.countDown();
                    try {
                        if (l.await(10, TimeUnit.SECONDS)) {
                            overlapped.add(replica);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };

    @BeforeAll
    static void start() throws Exception {
        server = new ServerHarness(ServingOptions.defaults(Device.cpu()), COUNTING);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyCheckpoints.SINGLE, TinyCheckpoints.DE, TinyCheckpoints.BE})
    void memberProbabilitiesEqualTheModelsDirectOutputs(String model) throws Exception {
        int b = 8;
        PredictResponse r = server.blocking.predict(ServerHarness.pixels(model, 16, b).toBuilder()
                .setReturnLogits(true).build());
        CheckpointStore store = TinyCheckpoints.store();
        ImageDataset images = TinyCheckpoints.testImages();
        try (EnsembleNetwork net = store.load(store.manifest(model, ""), Device.cpu());
             NDManager sub = net.manager().newSubManager()) {
            float[] x = new float[b * images.imageBytes()];
            images.normalizedInto(16, b, x);
            NDArray logits = net.memberLogits(sub.create(x, new Shape(b, 1, 28, 28)), 0);
            int k = (int) logits.getShape().get(0);
            assertEquals(k, r.getMemberProbabilities().getMembers());
            assertEquals(b, r.getMemberProbabilities().getBatch());
            assertEquals(10, r.getMemberProbabilities().getClasses());
            assertArrayEquals(logits.softmax(2).toFloatArray(),
                    ProtoCodec.floats(r.getMemberProbabilities().getData()), 1e-4f);
            assertArrayEquals(logits.toFloatArray(), ProtoCodec.floats(r.getLogits().getData()), 1e-3f);
            assertArrayEquals(logits.softmax(2).mean(new int[] {0}).toFloatArray(),
                    ProtoCodec.floats(r.getMeanProbabilities().getRawData()), 1e-4f);
        }
        assertRowsSumToOne(r);
        assertEquals("v" + (model.equals(TinyCheckpoints.BE) ? 2 : 1), r.getServed().getVersion());
    }

    @Test
    void batchEnsembleRunsAllMembersInOneForward() {
        AtomicInteger count = FORWARDS.computeIfAbsent(TinyCheckpoints.BE, m -> new AtomicInteger());
        server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.BE, 0, 4));
        int before = count.get();
        PredictResponse r = server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.BE, 0, 32));
        assertEquals(1, count.get() - before, "forwards for one BatchEnsemble request");
        assertEquals(4, r.getMemberProbabilities().getMembers());
        assertEquals(Method.BATCH_ENSEMBLE, r.getMethod());
    }

    @Test
    void deepEnsembleReplicasRunAtTheSameTime() throws Exception {
        // --deep-ensemble threads: one thread per replica (the default stacks them into one forward).
        ServingOptions threads = ServingOptions.defaults(Device.cpu())
                .withFusion(io.ensemblescope.core.fused.FusedNetwork.DEFAULT_LAYER_BUDGET, false);
        try (ServerHarness threaded = new ServerHarness(threads, COUNTING)) {
            threaded.blocking.predict(ServerHarness.pixels(TinyCheckpoints.DE, 0, 1));
            overlapped.clear();
            replicasTogether = new CountDownLatch(2);
            PredictResponse r = threaded.blocking.predict(ServerHarness.pixels(TinyCheckpoints.DE, 0, 16));
            replicasTogether = new CountDownLatch(0);
            assertEquals(Set.of(0, 1), overlapped, "replicas that were inside their forward together");
            assertEquals(2, r.getMemberProbabilities().getMembers());
        }
    }

    @Test
    void mcDropoutReturnsTDistinctSamples() {
        int t = 6;
        PredictRequest req = ServerHarness.pixels(TinyCheckpoints.MC, 0, 5).toBuilder().setMcSamples(t).build();
        PredictResponse r = server.blocking.predict(req);
        assertEquals(t, r.getMemberProbabilities().getMembers());
        float[] p = ProtoCodec.floats(r.getMemberProbabilities().getData());
        int rowsPerMember = 5 * 10;
        Set<String> samples = new HashSet<>();
        for (int i = 0; i < t; i++) {
            float[] member = java.util.Arrays.copyOfRange(p, i * rowsPerMember, (i + 1) * rowsPerMember);
            samples.add(java.util.Arrays.toString(member));
        }
        assertEquals(t, samples.size(), "distinct MC Dropout samples");
        assertRowsSumToOne(r);
        PredictResponse byDefault = server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.MC, 0, 5));
        assertEquals(TinyCheckpoints.MC_DEFAULT_T, byDefault.getMemberProbabilities().getMembers());
    }

    @Test
    void float32InputEqualsServerNormalizedPixels() {
        ImageDataset images = TinyCheckpoints.testImages();
        float[] x = new float[3 * images.imageBytes()];
        images.normalizedInto(40, 3, x);
        PredictRequest pixels = ServerHarness.pixels(TinyCheckpoints.SINGLE, 40, 3);
        PredictRequest floats = pixels.toBuilder().setInput(pixels.getInput().toBuilder()
                .setDtype(io.ensemblescope.api.v1.DType.FLOAT32).setRawData(ProtoCodec.littleEndian(x))).build();
        assertArrayEquals(ProtoCodec.floats(server.blocking.predict(pixels).getMemberProbabilities().getData()),
                ProtoCodec.floats(server.blocking.predict(floats).getMemberProbabilities().getData()), 1e-5f);
        assertFalse(server.blocking.predict(pixels).hasLogits(), "logits only on request");
    }

    static void assertRowsSumToOne(PredictResponse r) {
        float[] p = ProtoCodec.floats(r.getMemberProbabilities().getData());
        int c = r.getMemberProbabilities().getClasses();
        assertNotEquals(0, p.length);
        for (int row = 0; row < p.length / c; row++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += p[row * c + j];
            }
            assertEquals(1.0, sum, 1e-5, "row " + row);
        }
        assertTrue(r.getTimings().getTotalMicros() >= r.getTimings().getComputeMicros());
    }
}
