package io.ensemblescope.metrics.math;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A deliberately naive second implementation of the split metrics, straight from the definitions (explicit
 * pairwise KL and argmax comparisons, bins found by scanning, equal-mass bins by sorting indices), to check the
 * streaming accumulator against.
 */
final class ReferenceMetrics {
    final double accuracy;
    final double nll;
    final double brier;
    final double ece;
    final double adaptiveEce;
    final double entropy;
    final double expectedEntropy;
    final double mi;
    final double disagreement;
    final double kl;
    final double[] memberAccuracy;
    final double[] memberNll;

    ReferenceMetrics(float[] flat, int k, int n, int c, int[] y) {
        double[][][] p = new double[k][n][c];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < c; a++) {
                    p[i][j][a] = flat[(i * n + j) * c + a];
                }
            }
        }
        double acc = 0;
        double nllSum = 0;
        double brierSum = 0;
        double hSum = 0;
        double ehSum = 0;
        double miSum = 0;
        double disSum = 0;
        double klSum = 0;
        double[] conf = new double[n];
        boolean[] hit = new boolean[n];
        memberAccuracy = new double[k];
        memberNll = new double[k];
        for (int j = 0; j < n; j++) {
            double[] mean = new double[c];
            for (int i = 0; i < k; i++) {
                for (int a = 0; a < c; a++) {
                    mean[a] += p[i][j][a] / k;
                }
            }
            int top = argmax(mean);
            conf[j] = mean[top];
            hit[j] = top == y[j];
            acc += hit[j] ? 1 : 0;
            nllSum += -Math.log(Math.max(mean[y[j]], 1e-12));
            for (int a = 0; a < c; a++) {
                double d = mean[a] - (a == y[j] ? 1 : 0);
                brierSum += d * d;
            }
            double h = entropy(mean);
            double eh = 0;
            for (int i = 0; i < k; i++) {
                eh += entropy(p[i][j]) / k;
                memberAccuracy[i] += argmax(p[i][j]) == y[j] ? 1.0 / n : 0;
                memberNll[i] += -Math.log(Math.max(p[i][j][y[j]], 1e-12)) / n;
            }
            hSum += h;
            ehSum += eh;
            miSum += Math.max(0, h - eh);
            int pairs = 0;
            int differ = 0;
            double kl = 0;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    if (a == b) {
                        continue;
                    }
                    for (int z = 0; z < c; z++) {
                        double pa = p[a][j][z];
                        kl += pa * (Math.log(Math.max(pa, 1e-12)) - Math.log(Math.max(p[b][j][z], 1e-12)));
                    }
                    if (a < b) {
                        pairs++;
                        differ += argmax(p[a][j]) != argmax(p[b][j]) ? 1 : 0;
                    }
                }
            }
            disSum += pairs == 0 ? 0 : (double) differ / pairs;
            klSum += k == 1 ? 0 : kl / (k * (k - 1));
        }
        accuracy = acc / n;
        nll = nllSum / n;
        brier = brierSum / n;
        entropy = hSum / n;
        expectedEntropy = ehSum / n;
        mi = miSum / n;
        disagreement = disSum / n;
        kl = klSum / n;
        ece = equalWidthEce(conf, hit, 15);
        adaptiveEce = equalMassEce(conf, hit, 15);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int a = 1; a < v.length; a++) {
            if (v[a] > v[best]) {
                best = a;
            }
        }
        return best;
    }

    static double entropy(double[] v) {
        double h = 0;
        for (double x : v) {
            if (x > 0) {
                h -= x * Math.log(Math.max(x, 1e-12));
            }
        }
        return h;
    }

    static double equalWidthEce(double[] conf, boolean[] hit, int bins) {
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            double lo = (double) b / bins;
            double hi = (double) (b + 1) / bins;
            int count = 0;
            double cs = 0;
            double as = 0;
            for (int j = 0; j < conf.length; j++) {
                boolean in = (conf[j] > lo || (b == 0 && conf[j] >= 0)) && conf[j] <= hi;
                if (in) {
                    count++;
                    cs += conf[j];
                    as += hit[j] ? 1 : 0;
                }
            }
            if (count > 0) {
                ece += (double) count / conf.length * Math.abs(as / count - cs / count);
            }
        }
        return ece;
    }

    static double equalMassEce(double[] conf, boolean[] hit, int bins) {
        int n = conf.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> conf[j]).thenComparing(j -> hit[j]));
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            int start = (int) ((long) b * n / bins);
            int end = (int) ((long) (b + 1) * n / bins);
            if (end == start) {
                continue;
            }
            double cs = 0;
            double as = 0;
            for (int q = start; q < end; q++) {
                cs += conf[order[q]];
                as += hit[order[q]] ? 1 : 0;
            }
            ece += (double) (end - start) / n * Math.abs(as / (end - start) - cs / (end - start));
        }
        return ece;
    }
}
