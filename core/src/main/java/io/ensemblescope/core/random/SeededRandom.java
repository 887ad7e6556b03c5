package io.ensemblescope.core.random;

import java.util.SplittableRandom;

/**
 * The one source of randomness of a model or run: initial weights, dropout masks and data order all draw from it,
 * so a run is reproducible from its seed whatever else the process does (PyTorch's global generator is shared by all
 * threads and would make parallel Deep-Ensemble training irreproducible). Thread-safe.
 */
public final class SeededRandom {
    private SplittableRandom random;
    private double nextGaussian = Double.NaN;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Restarts the stream from {@code seed}: runs reseed per epoch so a resumed run draws what an unbroken one would. */
    public synchronized void reseed(long seed) {
        random = new SplittableRandom(seed);
        nextGaussian = Double.NaN;
    }

    public synchronized double nextGaussian() {
        if (!Double.isNaN(nextGaussian)) {
            double g = nextGaussian;
            nextGaussian = Double.NaN;
            return g;
        }
        // Marsaglia polar method: two normals per accepted pair.
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        nextGaussian = v * f;
        return u * f;
    }

    public synchronized boolean nextBoolean() {
        return random.nextBoolean();
    }

    public synchronized double nextDouble() {
        return random.nextDouble();
    }

    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /**
     * Fills with {@code value} where a uniform draw is below {@code p}, else 0. Each element compares one 32-bit half
     * of a 64-bit draw with p·2³² (dropout masks are drawn per step, so half the draws and no double conversion
     * matter; 2⁻³² resolution is ample for a keep probability).
     */
    public synchronized void fillBernoulli(float[] out, float p, float value) {
        long threshold = (long) Math.ceil(p * 4294967296.0);
        int i = 0;
        for (; i + 1 < out.length; i += 2) {
            long bits = random.nextLong();
            out[i] = (bits >>> 32) < threshold ? value : 0f;
            out[i + 1] = (bits & 0xFFFFFFFFL) < threshold ? value : 0f;
        }
        if (i < out.length) {
            out[i] = (random.nextLong() >>> 32) < threshold ? value : 0f;
        }
    }

    /** A permutation of 0..n-1 (Fisher–Yates). */
    public synchronized int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
