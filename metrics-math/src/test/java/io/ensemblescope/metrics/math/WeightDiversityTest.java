package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightDiversityTest {
    private static Map<String, float[]> layers(Object... nameThenValues) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValues.length; i += 2) {
            m.put((String) nameThenValues[i], (float[]) nameThenValues[i + 1]);
        }
        return m;
    }

    @Test
    void handWorkedPerLayerAndOverall() {
        WeightDiversity.Result r = WeightDiversity.of(List.of(
                layers("a", new float[] {1, 0}, "b", new float[] {1, 1}),
                layers("a", new float[] {0, 1}, "b", new float[] {2, 2})));
        WeightDiversity.Layer a = r.layers().get(0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, a.cosine(), 1e-15);
        // ‖(1,−1)‖ / sqrt(1·1) = √2.
        assertEquals(Math.sqrt(2), a.normalizedL2()[1], 1e-15);
        WeightDiversity.Layer b = r.layers().get(1);
        assertEquals(1, b.cosine()[1], 1e-15);
        // ‖(1,1)‖ / sqrt(√2·√8) = √2 / 2.
        assertEquals(Math.sqrt(2) / 2, b.normalizedL2()[2], 1e-15);
        // Overall: θ0 = (1,0,1,1), θ1 = (0,1,2,2): dot 4, norms √3 and 3.
        assertEquals(4 / (Math.sqrt(3) * 3), r.cosine()[1], 1e-15);
        assertEquals(Math.sqrt(4) / Math.sqrt(Math.sqrt(3) * 3), r.normalizedL2()[1], 1e-15);
        assertEquals(r.cosine()[1], r.meanCosine(), 1e-15);
    }

    @Test
    void overallEqualsOneLayerOfTheConcatenation() {
        Random rnd = new Random(2);
        List<Map<String, float[]>> split = new java.util.ArrayList<>();
        List<Map<String, float[]>> joined = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] x = new float[30];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rnd.nextGaussian();
            }
            split.add(layers("l1", java.util.Arrays.copyOf(x, 10), "l2", java.util.Arrays.copyOfRange(x, 10, 30)));
            joined.add(layers("all", x));
        }
        WeightDiversity.Result a = WeightDiversity.of(split);
        WeightDiversity.Result b = WeightDiversity.of(joined);
        assertArrayEquals(b.cosine(), a.cosine(), 1e-12);
        assertArrayEquals(b.normalizedL2(), a.normalizedL2(), 1e-12);
        assertEquals(2, a.layers().size());
        assertTrue(a.meanCosine() < 0.9 && a.meanNormalizedL2() > 0.1);
    }

    @Test
    void identicalMembersAreMaximallySimilar() {
        float[] x = {0.5f, -2f, 3f};
        WeightDiversity.Result r = WeightDiversity.of(List.of(layers("w", x), layers("w", x.clone()),
                layers("w", x.clone())));
        assertEquals(1, r.meanCosine(), 1e-15);
        assertEquals(0, r.meanNormalizedL2(), 0);
    }

    @Test
    void zeroVectorsFollowTheDocumentedConvention() {
        WeightDiversity.Result r = WeightDiversity.of(List.of(layers("b", new float[2]), layers("b", new float[2]),
                layers("b", new float[] {1, 0})));
        assertEquals(1, r.cosine()[1]);
        assertEquals(0, r.normalizedL2()[1]);
        assertEquals(0, r.cosine()[2]);
        assertEquals(Double.POSITIVE_INFINITY, r.normalizedL2()[2]);
    }

    @Test
    void mismatchedMembersAreRejectedNamingTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightDiversity.of(List.of(
                layers("w", new float[2]), layers("w", new float[3]))));
        assertTrue(e.getMessage().contains("members[1].w"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightDiversity.of(List.of(
                layers("w", new float[2]), layers("v", new float[2]))));
        assertThrows(IllegalArgumentException.class, () -> WeightDiversity.of(List.of(layers("w", new float[2]))));
    }

    @Test
    void batchEnsembleEffectiveWeightsAreTheHadamardProductWithTheRankSum() {
        // W 2×3, rank 2.
        float[] w = {1, 2, 3, 4, 5, 6};
        float[][][] r = {{{1, 0, 2}, {0, 1, 0}}, {{1, 1, 1}, {0, 0, 0}}};
        float[][][] s = {{{1, 2}, {3, 0}}, {{-1, 1}, {0, 0}}};
        float[][] eff = BatchEnsembleWeights.effective(w, 2, 3, 1, r, s);
        // Member 0: F = s0 r0ᵀ + s1 r1ᵀ = [[1,0,2],[2,0,4]] + [[0,3,0],[0,0,0]] = [[1,3,2],[2,0,4]].
        assertArrayEquals(new float[] {1, 6, 6, 8, 0, 24}, eff[0]);
        // Member 1: F = [[-1,-1,-1],[1,1,1]].
        assertArrayEquals(new float[] {-1, -2, -3, 4, 5, 6}, eff[1]);
    }

    @Test
    void convolutionKernelTapsShareTheirChannelFactor() {
        // out 1, in 2, 2 taps per (o, c).
        float[] w = {1, 2, 3, 4};
        float[][] eff = BatchEnsembleWeights.effective(w, 1, 2, 2, new float[][][] {{{2, 3}}}, new float[][][] {{{10}}});
        assertArrayEquals(new float[] {20, 40, 90, 120}, eff[0]);
        assertThrows(IllegalArgumentException.class,
                () -> BatchEnsembleWeights.effective(w, 1, 2, 2, new float[][][] {{{2}}}, new float[][][] {{{10}}}));
    }
}
