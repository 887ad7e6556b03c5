package io.ensemblescope.metrics.math;

import io.ensemblescope.testing.RandomProbabilities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitAccumulatorTest {
    private static final double EPS = 1e-9;

    private static SplitMetrics oneShot(float[] p, int k, int b, int c, int[] y) {
        SplitAccumulator acc = new SplitAccumulator(k, c, y != null);
        acc.accept(p, k, b, c, y);
        return acc.result();
    }

    @Test
    void handWorkedTwoMembersTwoSamples() {
        // Member 0: s0 [0.9, 0.1], s1 [0.4, 0.6]; member 1: s0 [0.7, 0.3], s1 [0.8, 0.2]; labels [0, 1].
        float[] p = {0.9f, 0.1f, 0.4f, 0.6f, 0.7f, 0.3f, 0.8f, 0.2f};
        SplitMetrics m = oneShot(p, 2, 2, 2, new int[] {0, 1});
        // p̄: s0 [0.8, 0.2] correct, s1 [0.6, 0.4] wrong.
        assertEquals(0.5, m.accuracy(), EPS);
        assertEquals(-(Math.log(0.8) + Math.log(0.4)) / 2, m.nll(), 1e-6);
        assertEquals((0.08 + 0.72) / 2, m.brier(), 1e-6);
        // In float32, s0's confidence is just below 0.8: bin 11 (0.733, 0.8]; s1's is just above 0.6: bin 9
        // (0.6, 0.667]. ECE = ½·|1 − 0.8| + ½·|0 − 0.6|.
        assertEquals(0.5 * 0.2 + 0.5 * 0.6, m.ece(), 1e-6);
        assertEquals(1, m.reliability().get(11).count());
        assertEquals(1, m.reliability().get(9).count());
        assertEquals(0.5, m.disagreement(), EPS);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, m.disagreementMatrix(), EPS);
        assertArrayEquals(new double[] {1.0, 0.5}, m.memberAccuracy(), EPS);
        assertEquals(-(Math.log(0.9) + Math.log(0.6)) / 2, m.memberNll()[0], 1e-6);
        assertEquals(-(Math.log(0.7) + Math.log(0.2)) / 2, m.memberNll()[1], 1e-6);
        double h0 = h(0.8, 0.2);
        double h1 = h(0.6, 0.4);
        double e0 = (h(0.9, 0.1) + h(0.7, 0.3)) / 2;
        double e1 = (h(0.4, 0.6) + h(0.8, 0.2)) / 2;
        assertEquals((h0 + h1) / 2, m.predictiveEntropy(), 1e-6);
        assertEquals((e0 + e1) / 2, m.expectedEntropy(), 1e-6);
        assertEquals((h0 - e0 + h1 - e1) / 2, m.mutualInformation(), 1e-6);
        // JSD from its own definition, each member's KL to the mixture p̄, which must equal H(p̄) − mean H(p_i).
        double jsd0 = (kl(0.9, 0.8) + kl(0.7, 0.8)) / 2;
        double jsd1 = (kl(0.4, 0.6) + kl(0.8, 0.6)) / 2;
        assertEquals((jsd0 + jsd1) / 2, m.jensenShannonDivergence(), 1e-6);
        double kl0 = (kl(0.9, 0.7) + kl(0.7, 0.9)) / 2;
        double kl1 = (kl(0.4, 0.8) + kl(0.8, 0.4)) / 2;
        assertEquals((kl0 + kl1) / 2, m.meanPairwiseKl(), 1e-6);
        assertArrayEquals(new double[] {0.2, 0.4}, m.scores().msp(), 1e-6);
    }

    private static double h(double a, double b) {
        return -a * Math.log(a) - b * Math.log(b);
    }

    /** KL([a, 1−a] ‖ [b, 1−b]). */
    private static double kl(double a, double b) {
        return a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
    }

    @Test
    void agreesWithNaiveReferenceOnRandomData() {
        Random rnd = new Random(7);
        int k = 4;
        int n = 500;
        int c = 10;
        float[] p = RandomProbabilities.members(rnd, k, n, c);
        int[] y = RandomProbabilities.labels(rnd, n, c);
        SplitMetrics m = oneShot(p, k, n, c, y);
        ReferenceMetrics r = new ReferenceMetrics(p, k, n, c, y);
        assertEquals(r.accuracy, m.accuracy(), EPS);
        assertEquals(r.nll, m.nll(), EPS);
        assertEquals(r.brier, m.brier(), EPS);
        assertEquals(r.ece, m.ece(), EPS);
        assertEquals(r.adaptiveEce, m.adaptiveEce(), EPS);
        assertEquals(r.entropy, m.predictiveEntropy(), EPS);
        assertEquals(r.expectedEntropy, m.expectedEntropy(), EPS);
        assertEquals(r.mi, m.mutualInformation(), EPS);
        assertEquals(r.disagreement, m.disagreement(), EPS);
        assertEquals(r.kl, m.meanPairwiseKl(), 1e-8);
        assertArrayEquals(r.memberAccuracy, m.memberAccuracy(), EPS);
        assertArrayEquals(r.memberNll, m.memberNll(), EPS);
        assertTrue(m.disagreement() > 0 && m.mutualInformation() > 0 && m.ece() > 0);
    }

    @Test
    void anyChunkingGivesBitIdenticalResults() {
        Random rnd = new Random(11);
        int k = 3;
        // Larger than ChunkStats.PARALLEL_SLICE, so the one-shot run takes the parallel path and the chunked ones not.
        int n = 3 * ChunkStats.PARALLEL_SLICE + 77;
        int c = 5;
        float[] p = RandomProbabilities.members(rnd, k, n, c);
        int[] y = RandomProbabilities.labels(rnd, n, c);
        SplitMetrics whole = oneShot(p, k, n, c, y);
        for (int trial = 0; trial < 5; trial++) {
            SplitAccumulator acc = new SplitAccumulator(k, c, true);
            int from = 0;
            while (from < n) {
                int size = Math.min(n - from, 1 + rnd.nextInt(trial == 0 ? 1 : 200));
                acc.accept(RandomProbabilities.slice(p, k, n, c, from, size), k, size, c,
                        java.util.Arrays.copyOfRange(y, from, from + size));
                from += size;
            }
            assertIdentical(whole, acc.result());
        }
    }

    static void assertIdentical(SplitMetrics a, SplitMetrics b) {
        assertEquals(a.samples(), b.samples());
        assertEquals(a.accuracy(), b.accuracy(), 0);
        assertEquals(a.nll(), b.nll(), 0);
        assertEquals(a.brier(), b.brier(), 0);
        assertEquals(a.ece(), b.ece(), 0);
        assertEquals(a.adaptiveEce(), b.adaptiveEce(), 0);
        assertEquals(a.predictiveEntropy(), b.predictiveEntropy(), 0);
        assertEquals(a.expectedEntropy(), b.expectedEntropy(), 0);
        assertEquals(a.mutualInformation(), b.mutualInformation(), 0);
        assertEquals(a.disagreement(), b.disagreement(), 0);
        assertEquals(a.meanPairwiseKl(), b.meanPairwiseKl(), 0);
        assertArrayEquals(a.memberAccuracy(), b.memberAccuracy(), 0);
        assertArrayEquals(a.memberNll(), b.memberNll(), 0);
        assertArrayEquals(a.disagreementMatrix(), b.disagreementMatrix(), 0);
        assertEquals(a.reliability(), b.reliability());
        assertArrayEquals(a.scores().mutualInformation(), b.scores().mutualInformation(), 0);
    }

    @Test
    void sampleOrderDoesNotMatter() {
        Random rnd = new Random(3);
        int k = 4;
        int n = 300;
        int c = 6;
        float[] p = RandomProbabilities.members(rnd, k, n, c);
        int[] y = RandomProbabilities.labels(rnd, n, c);
        int[] perm = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] q = new float[p.length];
        int[] z = new int[n];
        for (int j = 0; j < n; j++) {
            z[j] = y[perm[j]];
            for (int i = 0; i < k; i++) {
                System.arraycopy(p, (i * n + perm[j]) * c, q, (i * n + j) * c, c);
            }
        }
        SplitMetrics a = oneShot(p, k, n, c, y);
        SplitMetrics b = oneShot(q, k, n, c, z);
        assertEquals(a.accuracy(), b.accuracy(), 0);
        assertEquals(a.nll(), b.nll(), 1e-12);
        assertEquals(a.ece(), b.ece(), 1e-12);
        assertEquals(a.adaptiveEce(), b.adaptiveEce(), 1e-12);
        assertEquals(a.mutualInformation(), b.mutualInformation(), 1e-12);
        assertEquals(a.disagreement(), b.disagreement(), 0);
        assertArrayEquals(a.disagreementMatrix(), b.disagreementMatrix(), 0);
    }

    @Test
    void identicalMembersHaveNoDisagreementMutualInformationOrKl() {
        Random rnd = new Random(5);
        int n = 200;
        int c = 10;
        float[] one = RandomProbabilities.members(rnd, 1, n, c);
        float[] p = new float[3 * one.length];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(one, 0, p, i * one.length, one.length);
        }
        SplitMetrics m = oneShot(p, 3, n, c, RandomProbabilities.labels(rnd, n, c));
        assertEquals(0, m.disagreement());
        assertArrayEquals(new double[9], m.disagreementMatrix());
        assertEquals(0, m.mutualInformation(), 1e-12);
        assertEquals(0, m.meanPairwiseKl(), 1e-12);
        assertEquals(m.predictiveEntropy(), m.expectedEntropy(), 1e-12);
    }

    @Test
    void mutualInformationIsNeverNegative() {
        Random rnd = new Random(9);
        SplitMetrics m = oneShot(RandomProbabilities.members(rnd, 5, 400, 3), 5, 400, 3, null);
        for (double mi : m.scores().mutualInformation()) {
            assertTrue(mi >= 0);
        }
        assertTrue(m.mutualInformation() > 0);
        assertEquals(0, m.accuracy());
        assertTrue(m.reliability().isEmpty());
    }

    @Test
    void perfectlyCalibratedConstructionHasZeroEce() {
        // 40 samples at confidence 0.75 of which 30 correct, 20 at confidence 0.5 of which 10 correct.
        int n = 60;
        float[] p = new float[n * 2];
        int[] y = new int[n];
        for (int j = 0; j < n; j++) {
            boolean high = j < 40;
            p[2 * j] = high ? 0.75f : 0.5f;
            p[2 * j + 1] = high ? 0.25f : 0.5f;
            y[j] = high ? (j < 30 ? 0 : 1) : (j < 50 ? 0 : 1);
        }
        SplitMetrics m = oneShot(p, 1, n, 2, y);
        assertEquals(0, m.ece(), 1e-15);
        assertEquals(40.0 / 60, m.accuracy(), EPS);
        // Shift the confidences away from the accuracies and ECE must see it.
        p[0] = 1f;
        p[1] = 0f;
        assertTrue(oneShot(p, 1, n, 2, y).ece() > 0);
    }

    @Test
    void binEdgesAreUpperInclusive() {
        ReliabilityDiagram d = new ReliabilityDiagram(15);
        for (int b = 1; b <= 15; b++) {
            assertEquals(b - 1, d.binOf((double) b / 15), "edge " + b + "/15");
            assertEquals(Math.min(14, b), d.binOf(Math.nextUp((double) b / 15)));
        }
        assertEquals(0, d.binOf(0));
    }

    @Test
    void badInputNamesTheRow() {
        float[] p = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
        SplitAccumulator acc = new SplitAccumulator(2, 2, true);
        float[] nan = p.clone();
        nan[6] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> acc.accept(nan, 2, 2, 2, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 3 (member 1, sample 1)"), e.getMessage());
        float[] negative = p.clone();
        negative[2] = -0.1f;
        negative[3] = 1.1f;
        e = assertThrows(IllegalArgumentException.class, () -> acc.accept(negative, 2, 2, 2, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 1 (member 0, sample 1)"), e.getMessage());
        float[] offSum = p.clone();
        offSum[4] = 0.502f;
        e = assertThrows(IllegalArgumentException.class, () -> acc.accept(offSum, 2, 2, 2, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("sum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> acc.accept(p, 2, 2, 2, new int[] {0, 2}));
        assertTrue(e.getMessage().contains("labels[1]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> acc.accept(new float[] {1f, 1f}, 2, 1, 1, new int[] {0}));
        assertEquals(0, acc.samples(), "rejected chunks add nothing");
        float[] withinTolerance = p.clone();
        withinTolerance[4] = 0.5009f;
        acc.accept(withinTolerance, 2, 2, 2, new int[] {0, 1});
        assertEquals(2, acc.samples());
    }
}
