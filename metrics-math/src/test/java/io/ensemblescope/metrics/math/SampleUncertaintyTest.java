package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.testing.RandomProbabilities;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleUncertaintyTest {
    @Test
    void handWorkedThreeMembers() {
        // Sample 0: argmax 0, 0, 1 → 2 of 3 pairs differ. Sample 1: all argmax 1 → none.
        float[] p = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f, 0.4f, 0.6f, 0.1f, 0.9f};
        SampleUncertainty u = SampleUncertainty.of(p, 3, 2, 2);
        assertArrayEquals(new double[] {2.0 / 3, 0}, u.disagreement(), 1e-12);
        double mean0 = (0.9 + 0.6 + 0.4) / 3;
        double h0 = h(mean0);
        double e0 = (h(0.9) + h(0.6) + h(0.4)) / 3;
        assertEquals(h0, u.entropy()[0], 1e-6);
        assertEquals(h0 - e0, u.mutualInformation()[0], 1e-6);
    }

    @Test
    void singleMemberHasNoMutualInformationOrDisagreement() {
        float[] p = RandomProbabilities.members(new Random(3), 1, 5, 10);
        SampleUncertainty u = SampleUncertainty.of(p, 1, 5, 10);
        assertArrayEquals(new double[5], u.disagreement());
        assertArrayEquals(new double[5], u.mutualInformation());
        assertEquals(5, Arrays.stream(u.entropy()).filter(h -> h > 0 && h <= Math.log(10) + 1e-9).count());
    }

    @Test
    void perSampleValuesAreWhatTheSplitMetricsAverage() {
        int k = 4;
        int b = 300;
        int c = 10;
        float[] p = RandomProbabilities.members(new Random(11), k, b, c);
        SampleUncertainty u = SampleUncertainty.of(p, k, b, c);
        SplitAccumulator acc = new SplitAccumulator(k, c, false);
        acc.accept(p, k, b, c, null);
        SplitMetrics m = acc.result();
        assertArrayEquals(m.scores().entropy(), u.entropy());
        assertArrayEquals(m.scores().mutualInformation(), u.mutualInformation());
        assertEquals(m.disagreement(), Arrays.stream(u.disagreement()).average().orElseThrow(), 1e-12);
    }

    @Test
    void rejectsRowsThatAreNotProbabilities() {
        float[] p = {0.5f, 0.6f};
        assertThrows(IllegalArgumentException.class, () -> SampleUncertainty.of(p, 1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SampleUncertainty.of(new float[3], 1, 1, 2));
    }

    private static double h(double a) {
        return -a * Math.log(a) - (1 - a) * Math.log(1 - a);
    }
}
