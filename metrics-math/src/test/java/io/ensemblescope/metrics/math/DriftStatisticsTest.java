package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Population stability index and the two-sample Kolmogorov–Smirnov statistic. */
class DriftStatisticsTest {

    @Test
    void psiByHandWithHalfCountSmoothing() {
        long[] expected = {50, 30, 20, 0};
        long[] actual = {10, 20, 30, 40};
        double psi = 0;
        for (int b = 0; b < 4; b++) {
            double e = (expected[b] + 0.5) / (100 + 2);
            double a = (actual[b] + 0.5) / (100 + 2);
            psi += (a - e) * Math.log(a / e);
        }
        assertEquals(psi, PopulationStabilityIndex.of(expected, actual), 1e-15);
        assertTrue(psi > 0.25, "a large shift");
        assertEquals(0, PopulationStabilityIndex.of(expected, expected), 0);
        assertEquals(Double.NaN, PopulationStabilityIndex.of(expected, new long[4]));
        assertThrows(IllegalArgumentException.class, () -> PopulationStabilityIndex.of(expected, new long[3]));
        assertThrows(IllegalArgumentException.class, () -> PopulationStabilityIndex.of(expected,
                new long[] {1, -1, 0, 0}));
    }

    @Test
    void ksMatchesScipyIncludingTies() {
        // python3 -c "from scipy.stats import ks_2samp; print(ks_2samp([0,0,0,0.5,1,1,2],[0,0.5,0.5,3]).statistic)"
        assertEquals(0.25, KolmogorovSmirnov.statisticUnsorted(new double[] {0, 0, 0, 0.5, 1, 1, 2},
                new double[] {0, 0.5, 0.5, 3}), 1e-15);
        // python3 -c "from scipy.stats import ks_2samp; print(ks_2samp([.1,.2,.2,.7,.9],[.2,.3,.3,.8]).statistic)"
        assertEquals(0.35, KolmogorovSmirnov.statisticUnsorted(new double[] {0.9, 0.2, 0.1, 0.7, 0.2},
                new double[] {0.3, 0.2, 0.8, 0.3}), 1e-15);
    }

    @Test
    void ksIsZeroForEqualSamplesOneForDisjointAndSymmetric() {
        Random rnd = new Random(5);
        double[] a = new double[500];
        double[] b = new double[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian() + 0.5;
        }
        assertEquals(0, KolmogorovSmirnov.statisticUnsorted(a, a));
        assertEquals(KolmogorovSmirnov.statisticUnsorted(a, b), KolmogorovSmirnov.statisticUnsorted(b, a));
        assertEquals(1, KolmogorovSmirnov.statisticUnsorted(new double[] {0, 0, 0}, new double[] {1, 2}));
        assertEquals(0, KolmogorovSmirnov.statisticUnsorted(new double[] {0, 0, 0}, new double[] {0}));
        assertEquals(Double.NaN, KolmogorovSmirnov.statistic(new double[0], a));
    }
}
