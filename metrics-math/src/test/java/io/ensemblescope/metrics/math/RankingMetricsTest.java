package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    @Test
    void handWorked() {
        OodMetrics m = OodMetrics.of(new double[] {0.6, 0.2}, new double[] {0.8, 0.4});
        // Pairs (ood > in): 0.8>0.6, 0.8>0.2, 0.4>0.2, not 0.4>0.6.
        assertEquals(0.75, m.auroc(), 0);
        // Thresholds 0.8 (P 1, R 1/2), 0.6 (no recall gain), 0.4 (P 2/3, R 1).
        assertEquals(0.5 + 0.5 * 2 / 3.0, m.aupr(), 1e-15);
        // In positive, score negated: −0.2 (P 1, R 1/2), −0.4, −0.6 (P 2/3, R 1).
        assertEquals(0.5 + 0.5 * 2 / 3.0, m.auprIn(), 1e-15);
        // Recall first reaches 0.95 at 0.4, where one of two in-distribution samples is at or above it.
        assertEquals(0.5, m.fpr95(), 0);
    }

    @Test
    void tiesCountHalf() {
        OodMetrics m = OodMetrics.of(new double[] {0.5}, new double[] {0.5});
        assertEquals(0.5, m.auroc());
        assertEquals(0.5, m.aupr());
        assertEquals(1.0, m.fpr95());
        // Everything tied: AUROC 0.5, AP is the positive share.
        m = OodMetrics.of(new double[] {1, 1, 1}, new double[] {1});
        assertEquals(0.5, m.auroc());
        assertEquals(0.25, m.aupr());
        assertEquals(0.75, m.auprIn());
    }

    @Test
    void perfectSeparation() {
        OodMetrics m = OodMetrics.of(new double[] {0.1, 0.2, 0.3}, new double[] {0.5, 0.9, 0.7, 0.6});
        assertEquals(1.0, m.auroc());
        assertEquals(1.0, m.aupr());
        assertEquals(1.0, m.auprIn());
        assertEquals(0.0, m.fpr95());
        OodMetrics reversed = OodMetrics.of(new double[] {0.5, 0.9, 0.7, 0.6}, new double[] {0.1, 0.2, 0.3});
        assertEquals(0.0, reversed.auroc());
        assertEquals(1.0, reversed.fpr95());
    }

    @Test
    void agreesWithBruteForceOnRandomTiedData() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            int nIn = 1 + rnd.nextInt(300);
            int nOod = 1 + rnd.nextInt(300);
            // Rounded to a coarse grid so ties are frequent.
            double[] in = rnd.doubles(nIn).map(v -> Math.round(v * 20) / 20.0).toArray();
            double[] ood = rnd.doubles(nOod).map(v -> Math.round((v + 0.3) * 20) / 20.0).toArray();
            OodMetrics m = OodMetrics.of(in, ood);
            assertEquals(bruteAuroc(ood, in), m.auroc(), 1e-12);
            assertEquals(bruteAp(ood, in), m.aupr(), 1e-12);
            assertEquals(bruteAp(negate(in), negate(ood)), m.auprIn(), 1e-12);
            assertEquals(bruteFpr95(ood, in), m.fpr95(), 1e-12);
            RocCurve roc = RocCurve.of(RankedScores.of(ood, in));
            assertEquals(m.auroc(), trapezoid(roc), 1e-12, "trapezoidal ROC area equals tie-averaged AUROC");
        }
    }

    @Test
    void invariantToInputOrder() {
        Random rnd = new Random(1);
        double[] in = rnd.doubles(500).toArray();
        double[] ood = rnd.doubles(400).map(v -> v + 0.2).toArray();
        OodMetrics a = OodMetrics.of(in, ood);
        double[] inRev = in.clone();
        Arrays.sort(inRev);
        double[] oodShuffled = ood.clone();
        for (int i = oodShuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            double t = oodShuffled[i];
            oodShuffled[i] = oodShuffled[j];
            oodShuffled[j] = t;
        }
        assertEquals(a, OodMetrics.of(inRev, oodShuffled));
    }

    @Test
    void missingSideIsAPreconditionFailure() {
        assertThrows(IllegalStateException.class, () -> OodMetrics.of(new double[] {0.1}, new double[0]));
        assertThrows(IllegalStateException.class, () -> OodMetrics.of(new double[0], new double[] {0.1}));
        assertThrows(IllegalArgumentException.class, () -> OodMetrics.of(new double[] {Double.NaN}, new double[] {1}));
    }

    private static double bruteAuroc(double[] pos, double[] neg) {
        double s = 0;
        for (double p : pos) {
            for (double q : neg) {
                s += p > q ? 1 : p == q ? 0.5 : 0;
            }
        }
        return s / ((double) pos.length * neg.length);
    }

    /** Average precision from its definition: for each distinct threshold high to low, count by scanning. */
    private static double bruteAp(double[] pos, double[] neg) {
        TreeSet<Double> thresholds = new TreeSet<>();
        Arrays.stream(pos).forEach(thresholds::add);
        Arrays.stream(neg).forEach(thresholds::add);
        double ap = 0;
        double prevRecall = 0;
        for (double t : thresholds.descendingSet()) {
            long tp = Arrays.stream(pos).filter(v -> v >= t).count();
            long fp = Arrays.stream(neg).filter(v -> v >= t).count();
            double recall = (double) tp / pos.length;
            ap += (recall - prevRecall) * tp / (tp + fp);
            prevRecall = recall;
        }
        return ap;
    }

    private static double bruteFpr95(double[] pos, double[] neg) {
        TreeSet<Double> thresholds = new TreeSet<>();
        Arrays.stream(pos).forEach(thresholds::add);
        Arrays.stream(neg).forEach(thresholds::add);
        for (double t : thresholds.descendingSet()) {
            double recall = (double) Arrays.stream(pos).filter(v -> v >= t).count() / pos.length;
            if (recall >= 0.95 - 1e-12) {
                return (double) Arrays.stream(neg).filter(v -> v >= t).count() / neg.length;
            }
        }
        throw new AssertionError();
    }

    private static double[] negate(double[] v) {
        return Arrays.stream(v).map(x -> -x).toArray();
    }

    private static double trapezoid(RocCurve roc) {
        double area = 0;
        double[] x = roc.falsePositiveRate();
        double[] y = roc.truePositiveRate();
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        assertTrue(x[0] == 0 && y[0] == 0 && x[x.length - 1] == 1 && y[y.length - 1] == 1);
        return area;
    }
}
