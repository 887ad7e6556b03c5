package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Population stability index and the two-sample Kolmogorov–Smirnov statistic. */
class DriftStatisticsTest {

    @Test
    void psiByHandWithFlooredShares() {
        long[] expected = {50, 30, 20, 0, 0};
        long[] actual = {10, 20, 30, 40, 0};
        double psi = (0.1 - 0.5) * Math.log(0.1 / 0.5)
                + (0.2 - 0.3) * Math.log(0.2 / 0.3) + (0.3 - 0.2) * Math.log(0.3 / 0.2)
                + (0.4 - 1e-4) * Math.log(0.4 / 1e-4); // the empty-on-both-sides bin adds nothing
        assertEquals(psi, PopulationStabilityIndex.of(expected, actual), 1e-12);
        assertTrue(psi > 0.25, "a large shift");
        assertEquals(0, PopulationStabilityIndex.of(expected, expected), 0);
        // Same shape, different sample counts: still exactly 0.
        assertEquals(0, PopulationStabilityIndex.of(new long[] {5000, 0, 0}, new long[] {1000, 0, 0}), 0);
        assertEquals(Double.NaN, PopulationStabilityIndex.of(expected, new long[5]));
        assertThrows(IllegalArgumentException.class, () -> PopulationStabilityIndex.of(expected, new long[3]));
        assertThrows(IllegalArgumentException.class, () -> PopulationStabilityIndex.of(expected,
                new long[] {1, -1, 0, 0, 0}));
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
