package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.testing.RandomProbabilities;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-sample values are the very numbers the split metrics average. */
class SampleStatisticsTest {

    @Test
    void perSampleValuesAreTheOnesTheSplitMetricsFold() {
        Random rnd = new Random(3);
        int k = 4;
        int b = 700; // above ChunkStats.PARALLEL_SLICE, so the parallel path is covered too
        int c = 10;
        float[] p = RandomProbabilities.members(rnd, k, b, c);
        int[] y = RandomProbabilities.labels(rnd, b, c);
        SplitAccumulator acc = new SplitAccumulator(k, c, true);
        acc.accept(p, k, b, c, y);
        SplitMetrics m = acc.result();
        SampleStatistics s = SampleStatistics.of(p, k, b, c, y);
        assertEquals(b, s.size());
        double entropy = 0;
        double mi = 0;
        double nll = 0;
        double brier = 0;
        double disagreement = 0;
        long correct = 0;
        for (int j = 0; j < b; j++) {
            assertEquals(m.scores().entropy()[j], s.predictiveEntropy(j));
            assertEquals(m.scores().mutualInformation()[j], s.mutualInformation(j));
            assertEquals(m.scores().msp()[j], 1 - s.maxProbability(j));
            entropy += s.predictiveEntropy(j);
            mi += s.mutualInformation(j);
            nll += s.nll(j);
            brier += s.brier(j);
            disagreement += s.disagreement(j);
            correct += s.correct(j, y[j]) ? 1 : 0;
        }
        // Same summation order as the accumulator: equal to the last bit.
        assertEquals(m.predictiveEntropy(), entropy / b);
        assertEquals(m.mutualInformation(), mi / b);
        assertEquals(m.nll(), nll / b);
        assertEquals(m.brier(), brier / b);
        assertEquals(m.accuracy(), (double) correct / b);
        assertEquals(m.disagreement(), disagreement / b, 1e-12);
    }

    @Test
    void handWorkedDisagreementAndSingleMembers() {
        // Three members on one sample: argmax 0, 0, 1 -> 2 of 3 pairs disagree.
        float[] p = {0.9f, 0.1f, 0.6f, 0.4f, 0.3f, 0.7f};
        SampleStatistics s = SampleStatistics.of(p, 3, 1, 2);
        assertEquals(2.0 / 3, s.disagreement(0), 1e-12);
        assertEquals(0, s.prediction(0));
        assertEquals(0.6, s.maxProbability(0), 1e-6);
        SampleStatistics single = SampleStatistics.of(new float[] {0.25f, 0.75f}, 1, 1, 2);
        assertEquals(0, single.disagreement(0));
        assertEquals(0, single.mutualInformation(0));
        assertEquals(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), single.predictiveEntropy(0), 1e-7);
        assertThrows(IllegalStateException.class, () -> single.nll(0), "no labels, no NLL");
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SampleStatistics.of(new float[] {0.5f, 0.5f}, 1, 1, 2, new int[] {2}));
        assertEquals("labels[0] (sample 0): 2 outside [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(new float[] {0.5f, 0.6f}, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> SampleStatistics.of(new float[] {0.5f, 0.5f}, 1, 1, 2, new int[] {0, 1}));
    }
}
