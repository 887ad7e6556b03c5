package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.metrics.math.KolmogorovSmirnov;
import io.ensemblescope.metrics.math.PopulationStabilityIndex;
import io.ensemblescope.metrics.math.SampleStatistics;
import io.ensemblescope.testing.RandomProbabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The drift window slides over the last samples and scores them exactly as metrics-math does. */
class DriftWindowTest {
    @Test
    void windowScoresItsLastSamplesAgainstTheReference() {
        Random rnd = new Random(11);
        ReferenceProfileBuilder reference = new ReferenceProfileBuilder();
        for (int i = 0; i < 3; i++) {
            reference.add(SampleStatistics.of(RandomProbabilities.members(rnd, 4, 100, 10), 4, 100, 10));
        }
        ReferenceProfile profile = reference.build("m", "v1", "sha", "BATCH_ENSEMBLE", "random");
        assertEquals(300, profile.samples());

        DriftWindow window = new DriftWindow(50);
        List<SampleStatistics> batches = new ArrayList<>();
        for (int b : new int[] {20, 7, 13}) {
            SampleStatistics s = SampleStatistics.of(RandomProbabilities.members(rnd, 4, b, 10), 4, b, 10);
            window.add(s);
            batches.add(s);
        }
        assertEquals(40, window.size());
        for (ServedStatistic s : ServedStatistic.values()) {
            assertTrue(Double.isNaN(window.psi(s, profile.of(s))), "NaN until the window is full");
            assertTrue(Double.isNaN(window.ks(s, profile.of(s))));
        }
        for (int b : new int[] {33, 41}) {
            SampleStatistics s = SampleStatistics.of(RandomProbabilities.members(rnd, 4, b, 10), 4, b, 10);
            window.add(s);
            batches.add(s);
        }
        assertEquals(50, window.size());
        for (ServedStatistic stat : ServedStatistic.values()) {
            List<Double> all = new ArrayList<>();
            for (SampleStatistics s : batches) {
                for (int j = 0; j < s.size(); j++) {
                    all.add(stat.of(s, j));
                }
            }
            double[] last = all.subList(all.size() - 50, all.size()).stream().mapToDouble(Double::doubleValue)
                    .toArray();
            long[] counts = new long[stat.bins()];
            for (double v : last) {
                counts[stat.binOf(v)]++;
            }
            ReferenceProfile.Distribution ref = profile.of(stat);
            assertEquals(PopulationStabilityIndex.of(ref.bucketCounts(), counts), window.psi(stat, ref), stat.label());
            assertEquals(KolmogorovSmirnov.statisticUnsorted(last, ref.quantiles()), window.ks(stat, ref),
                    stat.label());
        }
    }

    @Test
    void quantilesAreAllSamplesWhenFewAndEvenlySpacedWhenMany() {
        double[] few = {1, 2, 3};
        assertEquals(3, ReferenceProfileBuilder.quantiles(few).length);
        assertEquals(2.0, ReferenceProfileBuilder.quantiles(few)[1]);
        double[] many = new double[10 * ReferenceProfileBuilder.QUANTILES];
        for (int i = 0; i < many.length; i++) {
            many[i] = i;
        }
        double[] q = ReferenceProfileBuilder.quantiles(many);
        assertEquals(ReferenceProfileBuilder.QUANTILES, q.length);
        assertEquals(5.0, q[0]); // mid-rank of the first tenth
        assertEquals(many.length - 5.0, q[q.length - 1]);
    }

    @Test
    void bucketsFollowPrometheusLe() {
        assertEquals(0, ServedStatistic.DISAGREEMENT.binOf(0));
        assertEquals(1, ServedStatistic.DISAGREEMENT.binOf(0.05));
        assertEquals(1, ServedStatistic.DISAGREEMENT.binOf(0.1));
        assertEquals(ServedStatistic.MAX_PROBABILITY.bins() - 2, ServedStatistic.MAX_PROBABILITY.binOf(1.0));
        assertEquals(ServedStatistic.PREDICTIVE_ENTROPY.bins() - 1, ServedStatistic.PREDICTIVE_ENTROPY.binOf(9));
    }
}
