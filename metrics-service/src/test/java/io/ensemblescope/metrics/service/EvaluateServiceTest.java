package io.ensemblescope.metrics.service;

import static io.ensemblescope.metrics.service.Chunks.chunk;
import static io.ensemblescope.metrics.service.Chunks.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.math.OodMetrics;
import io.ensemblescope.testing.RandomProbabilities;
import io.ensemblescope.metrics.math.SplitAccumulator;
import io.ensemblescope.metrics.math.SplitMetrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvaluateServiceTest {
    private static final int K = 4;
    private static final int C = 10;
    private static final Split IN = split(SplitKind.IN_DISTRIBUTION, "mnist-test");
    private static final Split SHIFT = split(SplitKind.SHIFTED, "rotate-60");
    private static final Split OOD = split(SplitKind.OOD, "fashion-mnist");

    private InProcessMetricsService service;
    private final Random rnd = new Random(17);

    @BeforeEach
    void start() throws Exception {
        service = new InProcessMetricsService(new EvaluationLimits(16, 8, 100_000), "");
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
    }

    private record SplitData(Split split, float[] p, int n, int[] labels) {}

    private SplitData data(Split split, int n, boolean labeled) {
        return new SplitData(split, RandomProbabilities.members(rnd, K, n, C), n,
                labeled ? RandomProbabilities.labels(rnd, n, C) : null);
    }

    @Test
    void chunkedInterleavedStreamEqualsOneShotExactly() throws Exception {
        List<SplitData> splits = List.of(data(IN, 900, true), data(SHIFT, 500, true), data(OOD, 700, false));
        List<EvaluationChunk> oneShot = new ArrayList<>();
        List<List<EvaluationChunk>> perSplit = new ArrayList<>();
        for (SplitData d : splits) {
            oneShot.add(chunk(d.split, d.p, K, d.n, C, d.labels));
            perSplit.add(new ArrayList<>(Chunks.cut(d.split, d.p, K, d.n, C, d.labels,
                    Chunks.randomSizes(rnd, d.n, 97))));
        }
        // Interleave the splits' chunks at random, keeping each split's own order.
        List<EvaluationChunk> chunked = new ArrayList<>();
        while (perSplit.stream().anyMatch(l -> !l.isEmpty())) {
            List<EvaluationChunk> pick = perSplit.get(rnd.nextInt(perSplit.size()));
            if (!pick.isEmpty()) {
                chunked.add(pick.remove(0));
            }
        }
        EvaluationReport a = service.evaluate(oneShot);
        EvaluationReport b = service.evaluate(chunked);
        assertTrue(chunked.size() > 20);
        assertEquals(a, b);

        // And both equal the library run directly.
        SplitAccumulator acc = new SplitAccumulator(K, C, true);
        acc.accept(splits.get(0).p, K, 900, C, splits.get(0).labels);
        SplitMetrics in = acc.result();
        assertEquals(in.accuracy(), a.getSplits(0).getAccuracy(), 0);
        assertEquals(in.ece(), a.getSplits(0).getEce(), 0);
        SplitAccumulator oodAcc = new SplitAccumulator(K, C, false);
        oodAcc.accept(splits.get(2).p, K, 700, C, null);
        OodMetrics mi = OodMetrics.of(in.scores().mutualInformation(), oodAcc.result().scores().mutualInformation());
        OodReport ood = a.getOod(0);
        assertEquals("mnist-test", ood.getInSplit());
        assertEquals("fashion-mnist", ood.getOodSplit());
        assertEquals("mutual_information", ood.getScores(2).getScore());
        assertEquals(mi.auroc(), ood.getScores(2).getAuroc(), 0);
        assertEquals(mi.fpr95(), ood.getScores(2).getFpr95(), 0);
        assertEquals(3, a.getSplitsCount());
        assertEquals(K, a.getMembers());
        assertEquals(Chunks.MODEL, a.getModel());
        assertTrue(a.getConventions().contains("1e-12") && a.getConventions().contains("scikit-learn"));
        assertEquals(K, a.getSplits(0).getMembersCount());
        assertEquals(15, a.getSplits(0).getReliabilityCount());
        assertEquals(K * K, a.getSplits(0).getDisagreementMatrixCount());
        assertTrue(!a.getSplits(2).getLabeled() && a.getSplits(2).getMembersCount() == 0);
    }

    @Test
    void jsonCarriesTheSameContent() throws Exception {
        SplitData d = data(IN, 50, true);
        EvaluationReport r = service.evaluate(List.of(chunk(IN, d.p, K, 50, C, d.labels)));
        EvaluationReport.Builder parsed = EvaluationReport.newBuilder();
        JsonFormat.parser().merge(r.getJson(), parsed);
        assertEquals(r.toBuilder().clearJson().build(), parsed.build());
        assertTrue(r.getJson().contains("\"disagreementMatrix\""));
    }

    private StatusRuntimeException failure(List<EvaluationChunk> chunks) {
        return assertThrows(StatusRuntimeException.class, () -> service.evaluate(chunks));
    }

    private List<EvaluationChunk> withBadChunk(float[] badProbs, int[] badLabels) {
        SplitData d = data(IN, 6, true);
        List<EvaluationChunk> chunks = new ArrayList<>(Chunks.cut(IN, d.p, K, 6, C, d.labels, new int[] {3, 3}));
        chunks.add(chunk(IN, badProbs, K, 2, C, badLabels));
        return chunks;
    }

    private static void assertStatus(Status.Code code, StatusRuntimeException e, String... mentions) {
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        for (String m : mentions) {
            assertTrue(e.getStatus().getDescription().contains(m), e.getStatus().getDescription());
        }
    }

    @Test
    void invalidProbabilitiesAndLabelsNameChunkAndRow() {
        float[] p = RandomProbabilities.members(rnd, K, 2, C);
        int[] y = {1, 2};
        float[] nan = p.clone();
        nan[5 * C + 3] = Float.NaN;
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(nan, y)), "chunk 2", "row 5 (member 2, sample 1)");
        float[] negative = p.clone();
        negative[2 * C] = -0.5f;
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(negative, y)), "chunk 2", "row 2");
        float[] off = p.clone();
        off[7 * C] += 0.01f;
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(off, y)), "chunk 2", "row 7", "sum");
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(p, new int[] {1, C})), "chunk 2", "labels[1]");
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(p, new int[] {-1, 0})), "chunk 2", "labels[0]");
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(withBadChunk(p, new int[] {1})), "chunk 2", "labels");
    }

    @Test
    void malformedChunksAreInvalidArguments() {
        float[] p = RandomProbabilities.members(rnd, K, 2, C);
        EvaluationChunk good = chunk(IN, p, K, 2, C, new int[] {0, 1});
        EvaluationChunk shortData = good.toBuilder().setProbabilities(good.getProbabilities().toBuilder()
                .setData(good.getProbabilities().getData().substring(4))).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(shortData)), "chunk 0", "probabilities.data");
        EvaluationChunk noKind = good.toBuilder().setSplit(Split.newBuilder().setName("x")).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(noKind)), "split.kind");
        EvaluationChunk noName = good.toBuilder().setSplit(Split.newBuilder().setKind(SplitKind.SHIFTED)).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(noName)), "split.name");
        EvaluationChunk noProbs = good.toBuilder().clearProbabilities().build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(noProbs)), "probabilities");
        EvaluationChunk tooManyMembers = good.toBuilder().setProbabilities(good.getProbabilities().toBuilder()
                .setMembers(17)).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(tooManyMembers)), "probabilities.members");
        EvaluationChunk labeledOod = chunk(OOD, p, K, 2, C, new int[] {0, 1});
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(good, labeledOod)), "chunk 1", "labels");
        EvaluationChunk otherId = good.toBuilder().setEvaluationId("other").build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(good, otherId)), "chunk 1", "evaluation_id");
        EvaluationChunk kindChange = good.toBuilder().setSplit(split(SplitKind.SHIFTED, IN.getName())).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(List.of(good, kindChange)), "chunk 1", "split.kind");
    }

    @Test
    void changingMembersOrClassesIsAFailedPrecondition() {
        EvaluationChunk first = chunk(IN, RandomProbabilities.members(rnd, K, 2, C), K, 2, C, new int[] {0, 1});
        EvaluationChunk otherK = chunk(SHIFT, RandomProbabilities.members(rnd, 3, 2, C), 3, 2, C, new int[] {0, 1});
        EvaluationChunk otherC = chunk(IN, RandomProbabilities.members(rnd, K, 2, 5), K, 2, 5, new int[] {0, 1});
        assertStatus(Status.Code.FAILED_PRECONDITION, failure(List.of(first, otherK)), "chunk 1", "k=3");
        assertStatus(Status.Code.FAILED_PRECONDITION, failure(List.of(first, otherC)), "chunk 1", "C=5");
    }

    @Test
    void emptyEvaluationIsInvalid() {
        assertStatus(Status.Code.INVALID_ARGUMENT, failure(Collections.emptyList()), "no samples");
    }

    @Test
    void oodWithoutInDistributionIsAFailedPrecondition() {
        SplitData ood = data(OOD, 20, false);
        SplitData shifted = data(SHIFT, 20, true);
        assertStatus(Status.Code.FAILED_PRECONDITION, failure(List.of(chunk(SHIFT, shifted.p, K, 20, C,
                shifted.labels), chunk(OOD, ood.p, K, 20, C, null))), "fashion-mnist", "IN_DISTRIBUTION");
    }

    @Test
    void sampleLimitIsResourceExhausted() throws Exception {
        try (InProcessMetricsService small = new InProcessMetricsService(new EvaluationLimits(16, 8, 10), "")) {
            SplitData d = data(IN, 11, true);
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> small.evaluate(Chunks.cut(IN, d.p, K, 11, C, d.labels, new int[] {6, 5})));
            assertStatus(Status.Code.RESOURCE_EXHAUSTED, e, "chunk 1", "10 samples");
        }
    }

    @Test
    void serviceKeepsWorkingAfterBadCalls() throws Exception {
        failure(Collections.emptyList());
        failure(withBadChunk(new float[K * 2 * C], new int[] {0, 0}));
        SplitData d = data(IN, 30, true);
        EvaluationReport r = service.evaluate(List.of(chunk(IN, d.p, K, 30, C, d.labels)));
        assertEquals(30, r.getSplits(0).getSamples());
        double counted = service.registry.get("escope.metrics.samples.evaluated").counter().count();
        assertTrue(counted >= 30, "samples counter " + counted);
        assertTrue(service.registry.find("escope.metrics.report.accuracy").gauges().isEmpty(),
                "Evaluate's client-chosen names label no series");
    }
}
