package io.ensemblescope.inference.monitoring;

import io.ensemblescope.metrics.math.ReliabilityDiagram;
import io.ensemblescope.metrics.math.SampleStatistics;

/**
 * The last {@code capacity} labeled samples of one model (a ring of per-sample confidence, hit, NLL and Brier, from
 * metrics-math's per-sample formulas) and their rolling calibration. Sums run oldest first, in the order samples
 * arrived — the order in which the metrics service folds a split — so the numbers equal its report on the same
 * samples to the last bit.
 */
final class CalibrationWindow {
    /** Rolling metrics of the window; NaN when it is empty. */
    record Rolling(long samples, double accuracy, double nll, double brier, double ece) {}

    private final int capacity;
    private final double[] confidence;
    private final boolean[] correct;
    private final double[] nll;
    private final double[] brier;
    private long added;

    CalibrationWindow(int capacity) {
        this.capacity = capacity;
        confidence = new double[capacity];
        correct = new boolean[capacity];
        nll = new double[capacity];
        brier = new double[capacity];
    }

    /** Adds a labeled batch in sample order. */
    synchronized void add(SampleStatistics batch, int[] labels) {
        for (int j = 0; j < batch.size(); j++) {
            int at = (int) (added % capacity);
            confidence[at] = batch.maxProbability(j);
            correct[at] = batch.correct(j, labels[j]);
            nll[at] = batch.nll(j);
            brier[at] = batch.brier(j);
            added++;
        }
    }

    synchronized long size() {
        return Math.min(added, capacity);
    }

    synchronized Rolling rolling() {
        int n = (int) Math.min(added, capacity);
        if (n == 0) {
            return new Rolling(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int oldest = added > capacity ? (int) (added % capacity) : 0;
        ReliabilityDiagram reliability = new ReliabilityDiagram(ReliabilityDiagram.DEFAULT_BINS);
        long hits = 0;
        double nllSum = 0;
        double brierSum = 0;
        for (int i = 0; i < n; i++) {
            int at = (oldest + i) % capacity;
            hits += correct[at] ? 1 : 0;
            nllSum += nll[at];
            brierSum += brier[at];
            reliability.add(confidence[at], correct[at]);
        }
        return new Rolling(n, (double) hits / n, nllSum / n, brierSum / n, reliability.ece());
    }
}
