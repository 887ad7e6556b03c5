package io.ensemblescope.datasets.corrupt.ops;

import java.util.SplittableRandom;

/**
 * Poisson variates, exact for every mean: multiplication method below 10, Hörmann's PTRS transformed rejection
 * ("The transformed rejection method for generating Poisson random variables", 1993) above — the same split NumPy uses.
 */
public final class Poisson {
    private Poisson() {
    }

    public static long sample(double mean, SplittableRandom rng) {
        if (!(mean >= 0) || Double.isInfinite(mean)) {
            throw new IllegalArgumentException("Poisson mean must be finite and >= 0, got " + mean);
        }
        if (mean == 0) {
            return 0;
        }
        return mean < 10 ? multiplication(mean, rng) : ptrs(mean, rng);
    }

    private static long multiplication(double mean, SplittableRandom rng) {
        double limit = Math.exp(-mean);
        double product = rng.nextDouble();
        long k = 0;
        while (product > limit) {
            k++;
            product *= rng.nextDouble();
        }
        return k;
    }

    private static long ptrs(double mean, SplittableRandom rng) {
        double slam = Math.sqrt(mean);
        double logLam = Math.log(mean);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            double lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
            double rhs = -mean + k * logLam - logFactorial(k);
            if (lhs <= rhs) {
                return k;
            }
        }
    }

    /** log(k!) by Stirling's series (exact table below 10); ample precision for the acceptance test. */
    static double logFactorial(long k) {
        if (k < 10) {
            double f = 1;
            for (int i = 2; i <= k; i++) {
                f *= i;
            }
            return Math.log(f);
        }
        double n = k + 1.0;
        return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI)
                + 1.0 / (12 * n) - 1.0 / (360 * n * n * n) + 1.0 / (1260 * Math.pow(n, 5));
    }
}
