package io.ensemblescope.testing;

import java.util.Random;

/** Random but valid test inputs: member-major probability rows and labels. */
public final class RandomProbabilities {
    private RandomProbabilities() {}

    /** k·B rows of C probabilities, member-major, some peaked (confident) and some flat. */
    public static float[] members(Random rnd, int k, int b, int c) {
        float[] p = new float[k * b * c];
        for (int row = 0; row < k * b; row++) {
            double sharp = rnd.nextDouble() * 6;
            double[] logits = new double[c];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                logits[j] = rnd.nextGaussian() * sharp;
                max = Math.max(max, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                logits[j] = Math.exp(logits[j] - max);
                sum += logits[j];
            }
            for (int j = 0; j < c; j++) {
                p[row * c + j] = (float) (logits[j] / sum);
            }
        }
        return p;
    }

    public static int[] labels(Random rnd, int b, int c) {
        int[] y = new int[b];
        for (int j = 0; j < b; j++) {
            y[j] = rnd.nextInt(c);
        }
        return y;
    }

    /** Samples [from, from + n) of member-major [k, B, C] probabilities as their own [k, n, C] array. */
    public static float[] slice(float[] p, int k, int b, int c, int from, int n) {
        float[] out = new float[k * n * c];
        for (int i = 0; i < k; i++) {
            System.arraycopy(p, (i * b + from) * c, out, i * n * c, n * c);
        }
        return out;
    }
}
