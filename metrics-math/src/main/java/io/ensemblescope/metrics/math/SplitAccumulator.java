package io.ensemblescope.metrics.math;

import java.util.BitSet;

/**
 * Streams one split's per-member probabilities (member-major float [k, B, C] chunks) into every metric. Each sum runs
 * in double in sample order and each per-sample value depends on that sample alone ({@link ChunkStats}), so feeding
 * the same samples in any chunking gives bit-identical results. Kept per sample: top-label confidence, correctness, entropy and mutual
 * information (for adaptive ECE and the ranking metrics).
 */
public final class SplitAccumulator {
    private final int k;
    private final int classes;
    private final boolean labeled;
    private final ReliabilityDiagram reliability = new ReliabilityDiagram(ReliabilityDiagram.DEFAULT_BINS);
    private final long[] memberCorrect;
    private final double[] memberNllSum;
    private final long[] pairDisagreements;
    private final DoubleList confidence = new DoubleList();
    private final DoubleList entropy = new DoubleList();
    private final DoubleList mutualInformation = new DoubleList();
    private final BitSet correctFlags = new BitSet();
    private long samples;
    private long correct;
    private double nllSum;
    private double brierSum;
    private double entropySum;
    private double expectedEntropySum;
    private double mutualInformationSum;
    private double klSum;
    private long disagreeingPairs;

    public SplitAccumulator(int members, int classes, boolean labeled) {
        if (members < 1) {
            throw new IllegalArgumentException("members: must be >= 1, got " + members);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes: must be >= 1, got " + classes);
        }
        this.k = members;
        this.classes = classes;
        this.labeled = labeled;
        memberCorrect = new long[k];
        memberNllSum = new double[k];
        pairDisagreements = new long[k * k];
    }

    public int members() {
        return k;
    }

    public int classes() {
        return classes;
    }

    public boolean labeled() {
        return labeled;
    }

    public long samples() {
        return samples;
    }

    /**
     * Adds one chunk of B samples after validating all of it (nothing is added when it throws).
     *
     * @param probs  member-major [k, B, C]: row i·B + j holds member i's probabilities for sample j
     * @param labels B labels in [0, C) for a labeled split; null or empty for an unlabeled one
     * @throws IllegalArgumentException naming the row or label at fault
     * @throws IllegalStateException    when k or C differ from this split's
     */
    public void accept(float[] probs, int members, int batch, int numClasses, int[] labels) {
        if (members != k || numClasses != classes) {
            throw new IllegalStateException("k and C must stay the same across chunks: split has k=" + k + ", C="
                    + classes + ", chunk has k=" + members + ", C=" + numClasses);
        }
        int labelCount = labels == null ? 0 : labels.length;
        if (labeled && labelCount != batch) {
            throw new IllegalArgumentException("labels: " + labelCount + " labels for " + batch + " samples");
        }
        if (!labeled && labelCount != 0) {
            throw new IllegalArgumentException("labels: an unlabeled (OOD) split takes no labels, got " + labelCount);
        }
        Probabilities.validate(probs, k, batch, classes);
        if (labeled) {
            Probabilities.validateLabels(labels, classes);
        }
        ChunkStats stats = ChunkStats.of(probs, k, batch, classes, labels);
        for (int j = 0; j < batch; j++) {
            fold(stats, j, labeled ? labels[j] : -1);
        }
    }

    /** Adds one sample's values to the running sums; called in sample order, so sums never depend on chunking. */
    private void fold(ChunkStats s, int j, int label) {
        entropySum += s.entropy[j];
        expectedEntropySum += s.expectedEntropy[j];
        mutualInformationSum += s.mutualInformation[j];
        klSum += s.meanPairwiseKl[j];
        confidence.add(s.confidence[j]);
        entropy.add(s.entropy[j]);
        mutualInformation.add(s.mutualInformation[j]);
        int row = j * k;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (s.argmax[row + a] != s.argmax[row + b]) {
                    pairDisagreements[a * k + b]++;
                    disagreeingPairs++;
                }
            }
        }
        if (label >= 0) {
            boolean hit = s.topClass[j] == label;
            if (hit) {
                correct++;
                correctFlags.set((int) samples);
            }
            nllSum -= s.logMeanAtLabel[j];
            brierSum += s.brier[j];
            reliability.add(s.confidence[j], hit);
            for (int i = 0; i < k; i++) {
                if (s.argmax[row + i] == label) {
                    memberCorrect[i]++;
                }
                memberNllSum[i] -= s.memberLogAtLabel[row + i];
            }
        }
        samples++;
    }

    /** The per-sample OOD scores so far, in sample order. */
    public UncertaintyScores scores() {
        double[] msp = new double[(int) samples];
        for (int i = 0; i < msp.length; i++) {
            msp[i] = 1 - confidence.get(i);
        }
        return new UncertaintyScores(msp, entropy.toArray(), mutualInformation.toArray());
    }

    /** The metrics so far. */
    public SplitMetrics result() {
        int n = (int) samples;
        double[] conf = confidence.toArray();
        boolean[] hits = new boolean[n];
        for (int i = 0; i < n; i++) {
            hits[i] = correctFlags.get(i);
        }
        double[] memberAcc = new double[labeled ? k : 0];
        double[] memberNll = new double[labeled ? k : 0];
        for (int i = 0; i < memberAcc.length; i++) {
            memberAcc[i] = div(memberCorrect[i], n);
            memberNll[i] = memberNllSum[i] / Math.max(1, n);
        }
        double[] matrix = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                matrix[a * k + b] = div(pairDisagreements[a * k + b], n);
                matrix[b * k + a] = matrix[a * k + b];
            }
        }
        long pairs = (long) k * (k - 1) / 2;
        double d = Math.max(1, n);
        return new SplitMetrics(
                samples,
                labeled,
                labeled ? div(correct, n) : 0,
                labeled ? nllSum / d : 0,
                labeled ? brierSum / d : 0,
                labeled ? reliability.ece() : 0,
                labeled ? AdaptiveCalibrationError.of(conf, hits, ReliabilityDiagram.DEFAULT_BINS) : 0,
                entropySum / d,
                expectedEntropySum / d,
                mutualInformationSum / d,
                pairs == 0 ? 0 : div(disagreeingPairs, n * pairs),
                klSum / d,
                memberAcc,
                memberNll,
                labeled ? reliability.bins() : java.util.List.of(),
                matrix,
                scores());
    }

    private static double div(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
