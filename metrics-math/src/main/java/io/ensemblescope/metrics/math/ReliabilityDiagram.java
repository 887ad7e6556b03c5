package io.ensemblescope.metrics.math;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming equal-width binning of top-label confidence into bins (b/n, (b+1)/n], and the expected calibration error
 * ECE = Σ_b (n_b / N)·|acc_b − conf_b| over non-empty bins. Sums run in sample order, so any chunking gives the same
 * bits.
 */
public final class ReliabilityDiagram {
    /** Guo et al. (2017) and most ensemble papers use 15 bins. */
    public static final int DEFAULT_BINS = 15;

    private final double[] edges;
    private final long[] counts;
    private final double[] confidenceSums;
    private final long[] correct;
    private long total;

    public ReliabilityDiagram(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins: must be >= 1, got " + bins);
        }
        edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = (double) b / bins;
        }
        counts = new long[bins];
        confidenceSums = new double[bins];
        correct = new long[bins];
    }

    /** The bin whose (lower, upper] holds the confidence; 0 falls into the first bin. */
    public int binOf(double confidence) {
        int bins = counts.length;
        int b = Math.min(bins - 1, Math.max(0, (int) (confidence * bins)));
        // The multiplication may round across an edge: settle against the exact edges.
        while (b > 0 && confidence <= edges[b]) {
            b--;
        }
        while (b < bins - 1 && confidence > edges[b + 1]) {
            b++;
        }
        return b;
    }

    public void add(double confidence, boolean isCorrect) {
        int b = binOf(confidence);
        counts[b]++;
        confidenceSums[b] += confidence;
        if (isCorrect) {
            correct[b]++;
        }
        total++;
    }

    public long total() {
        return total;
    }

    /** Weighted L1 gap between accuracy and confidence, empty bins skipped; 0 when nothing was added. */
    public double ece() {
        if (total == 0) {
            return 0;
        }
        double ece = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                double acc = (double) correct[b] / counts[b];
                double conf = confidenceSums[b] / counts[b];
                ece += (double) counts[b] / total * Math.abs(acc - conf);
            }
        }
        return ece;
    }

    /** Every bin, empty ones with count 0 and confidence/accuracy 0. */
    public List<ReliabilityBin> bins() {
        List<ReliabilityBin> out = new ArrayList<>(counts.length);
        for (int b = 0; b < counts.length; b++) {
            long n = counts[b];
            out.add(new ReliabilityBin(edges[b], edges[b + 1], n, n == 0 ? 0 : confidenceSums[b] / n,
                    n == 0 ? 0 : (double) correct[b] / n));
        }
        return out;
    }
}
