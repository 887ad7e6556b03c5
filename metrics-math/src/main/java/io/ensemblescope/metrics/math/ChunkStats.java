package io.ensemblescope.metrics.math;

import java.util.stream.IntStream;

/**
 * The per-sample values of one chunk, each computed from that sample alone (so they do not depend on chunking). The
 * logs dominate ingest (k·C + C per sample), so large chunks compute their samples in parallel; the accumulator then
 * folds them into its sums sequentially, in sample order, which keeps results bit-identical.
 */
final class ChunkStats {
    /** Chunks larger than this are computed in parallel slices of this many samples (~0.3 ms of work each). */
    static final int PARALLEL_SLICE = 256;

    final int batch;
    final double[] confidence;
    final int[] topClass;
    final double[] entropy;
    final double[] expectedEntropy;
    final double[] mutualInformation;
    final double[] meanPairwiseKl;
    final double[] brier;
    final double[] logMeanAtLabel;
    /** [batch·k]: member i's argmax for sample j at j·k + i. */
    final int[] argmax;
    /** [batch·k]: member i's log p_i(y) for sample j at j·k + i (labeled splits). */
    final double[] memberLogAtLabel;

    private ChunkStats(int batch, int k) {
        this.batch = batch;
        confidence = new double[batch];
        topClass = new int[batch];
        entropy = new double[batch];
        expectedEntropy = new double[batch];
        mutualInformation = new double[batch];
        meanPairwiseKl = new double[batch];
        brier = new double[batch];
        logMeanAtLabel = new double[batch];
        argmax = new int[batch * k];
        memberLogAtLabel = new double[batch * k];
    }

    /** Values of validated member-major [k, B, C] probabilities; labels null or empty when unlabeled. */
    static ChunkStats of(float[] probs, int k, int batch, int classes, int[] labels) {
        ChunkStats stats = new ChunkStats(batch, k);
        int slices = (batch + PARALLEL_SLICE - 1) / PARALLEL_SLICE;
        if (slices <= 1) {
            stats.compute(probs, k, classes, labels, 0, batch);
        } else {
            IntStream.range(0, slices).parallel().forEach(s -> stats.compute(probs, k, classes, labels,
                    s * PARALLEL_SLICE, Math.min(batch, (s + 1) * PARALLEL_SLICE)));
        }
        return stats;
    }

    /** Member pairs (of the C(k,2)) whose argmax differs on sample j. */
    int disagreeingPairs(int j, int k) {
        int row = j * k;
        int pairs = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (argmax[row + a] != argmax[row + b]) {
                    pairs++;
                }
            }
        }
        return pairs;
    }

    private void compute(float[] probs, int k, int classes, int[] labels, int from, int to) {
        double[] classSum = new double[classes];
        double[] logSum = new double[classes];
        boolean labeled = labels != null && labels.length > 0;
        for (int j = from; j < to; j++) {
            int label = labeled ? labels[j] : -1;
            java.util.Arrays.fill(classSum, 0);
            java.util.Arrays.fill(logSum, 0);
            double memberEntropySum = 0;
            for (int i = 0; i < k; i++) {
                int base = (i * batch + j) * classes;
                int best = 0;
                float bestP = probs[base];
                double h = 0;
                for (int c = 0; c < classes; c++) {
                    float p = probs[base + c];
                    double lp = Probabilities.logClamped(p);
                    if (c == label) {
                        memberLogAtLabel[j * k + i] = lp;
                    }
                    h -= p * lp;
                    classSum[c] += p;
                    logSum[c] += lp;
                    if (p > bestP) {
                        bestP = p;
                        best = c;
                    }
                }
                argmax[j * k + i] = best;
                memberEntropySum += h;
            }
            double h = 0;
            double top = -1;
            int best = 0;
            double cross = 0;
            double squares = 0;
            for (int c = 0; c < classes; c++) {
                double mean = classSum[c] / k;
                double logMean = Probabilities.logClamped(mean);
                if (c == label) {
                    logMeanAtLabel[j] = logMean;
                }
                h -= mean * logMean;
                cross += classSum[c] * logSum[c];
                double d = mean - (c == label ? 1 : 0);
                squares += d * d;
                if (mean > top) {
                    top = mean;
                    best = c;
                }
            }
            double expected = memberEntropySum / k;
            confidence[j] = top;
            topClass[j] = best;
            entropy[j] = h;
            expectedEntropy[j] = expected;
            mutualInformation[j] = Math.max(0, h - expected);
            brier[j] = squares;
            if (k > 1) {
                // Σ_{i≠j} KL(p_i‖p_j) = −k·Σ_i H(p_i) − Σ_c (Σ_i p_ic)(Σ_j log p_jc), over k(k−1) ordered pairs.
                meanPairwiseKl[j] = Math.max(0, (-k * memberEntropySum - cross) / ((double) k * (k - 1)));
            }
        }
    }
}
