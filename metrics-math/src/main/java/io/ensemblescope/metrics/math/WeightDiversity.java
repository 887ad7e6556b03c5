package io.ensemblescope.metrics.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weight-space diversity of k members given, per member, an ordered map layer name → effective parameters (the same
 * layers in the same order for every member). For members i, j: cosine similarity θ_i·θ_j / (‖θ_i‖‖θ_j‖) and the
 * normalized L2 distance ‖θ_i − θ_j‖ / sqrt(‖θ_i‖·‖θ_j‖), which is scale-free and 0 for identical members. Both are
 * reported per layer and over all layers concatenated. Zero vectors: two zero vectors have cosine 1 and distance 0; a
 * zero and a non-zero vector have cosine 0 and distance +∞.
 */
public final class WeightDiversity {
    /** Note for a BatchEnsemble checkpoint's report. */
    public static final String BATCH_ENSEMBLE_NOTE = "BatchEnsemble: per layer the effective weights W ∘ (s_i r_iᵀ) "
            + "(summed over rank) and the member's own bias b_i; shared parameters such as BatchNorm are identical "
            + "across members, so they are left out of the member vectors (they could only raise similarity).";
    /** Note for a Deep Ensemble checkpoint's report. */
    public static final String DEEP_ENSEMBLE_NOTE = "Deep Ensemble: each member's own parameters, every layer.";

    private WeightDiversity() {}

    public static Result of(List<? extends Map<String, float[]>> members) {
        int k = members.size();
        if (k < 2) {
            throw new IllegalArgumentException("members: weight diversity needs at least 2 members, got " + k);
        }
        List<String> names = new ArrayList<>(members.get(0).keySet());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("members[0]: no layers");
        }
        for (int i = 1; i < k; i++) {
            if (!new ArrayList<>(members.get(i).keySet()).equals(names)) {
                throw new IllegalArgumentException("members[" + i + "]: layers " + members.get(i).keySet()
                        + " differ from member 0's " + names);
            }
        }
        double[] totalDot = new double[k * k];
        double[] totalSquaredDistance = new double[k * k];
        List<Layer> layers = new ArrayList<>();
        for (String name : names) {
            float[][] theta = new float[k][];
            for (int i = 0; i < k; i++) {
                theta[i] = members.get(i).get(name);
                if (theta[i] == null || theta[i].length != theta[0].length) {
                    throw new IllegalArgumentException("members[" + i + "]." + name + ": "
                            + (theta[i] == null ? "missing" : theta[i].length + " parameters, member 0 has "
                            + theta[0].length));
                }
            }
            double[] dot = new double[k * k];
            double[] sq = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    pair(theta[i], theta[j], dot, sq, i * k + j);
                }
            }
            for (int e = 0; e < k * k; e++) {
                totalDot[e] += dot[e];
                totalSquaredDistance[e] += sq[e];
            }
            layers.add(new Layer(name, cosine(dot, k), normalizedL2(dot, sq, k)));
        }
        return new Result(k, cosine(totalDot, k), normalizedL2(totalDot, totalSquaredDistance, k), layers);
    }

    /** Dot product and squared distance in one pass, straight from the parameters (no ‖a‖²+‖b‖²−2a·b cancellation). */
    private static void pair(float[] a, float[] b, double[] dot, double[] sq, int at) {
        double d = 0;
        double s = 0;
        for (int p = 0; p < a.length; p++) {
            d += (double) a[p] * b[p];
            double diff = (double) a[p] - b[p];
            s += diff * diff;
        }
        dot[at] = d;
        sq[at] = s;
    }

    private static double[] cosine(double[] upperDot, int k) {
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double ni = Math.sqrt(upperDot[i * k + i]);
                double nj = Math.sqrt(upperDot[j * k + j]);
                double c;
                if (ni == 0 && nj == 0) {
                    c = 1;
                } else if (ni == 0 || nj == 0) {
                    c = 0;
                } else {
                    c = upperDot[i * k + j] / (ni * nj);
                }
                out[i * k + j] = c;
                out[j * k + i] = c;
            }
        }
        return out;
    }

    private static double[] normalizedL2(double[] upperDot, double[] upperSq, int k) {
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double scale = Math.sqrt(Math.sqrt(upperDot[i * k + i]) * Math.sqrt(upperDot[j * k + j]));
                double dist = Math.sqrt(upperSq[i * k + j]);
                double v = dist == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : dist / scale;
                out[i * k + j] = v;
                out[j * k + i] = v;
            }
        }
        return out;
    }

    /** Mean of the off-diagonal entries of a k×k row-major matrix. */
    public static double meanOffDiagonal(double[] matrix, int k) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    sum += matrix[i * k + j];
                }
            }
        }
        return sum / ((double) k * (k - 1));
    }

    /** One layer's k×k matrices, row-major. */
    public record Layer(String name, double[] cosine, double[] normalizedL2) {}

    /** Over all layers concatenated (k×k, row-major) and per layer, in the members' layer order. */
    public record Result(int members, double[] cosine, double[] normalizedL2, List<Layer> layers) {
        public double meanCosine() {
            return meanOffDiagonal(cosine, members);
        }

        public double meanNormalizedL2() {
            return meanOffDiagonal(normalizedL2, members);
        }
    }
}
