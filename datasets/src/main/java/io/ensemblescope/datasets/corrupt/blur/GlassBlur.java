package io.ensemblescope.datasets.corrupt.blur;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Border;
import io.ensemblescope.datasets.corrupt.ops.SeparableFilter;
import java.util.SplittableRandom;

/**
 * Frosted-glass blur: Gaussian(σ) → uint8 → local pixel shuffle (iterations × a sweep from the bottom-right, each
 * pixel swapped with a neighbour at offset (dy, dx) ∈ {−δ..δ−1}²) → Gaussian(σ). (σ, δ, iterations) = (.05,1,1)
 * (.25,1,1) (.4,1,1) (.25,1,2) (.4,1,2).
 */
public final class GlassBlur implements Corruption {
    private static final double[] SIGMA = {.05, .25, .4, .25, .4};
    private static final int[] DELTA = {1, 1, 1, 1, 1};
    private static final int[] ITERATIONS = {1, 1, 1, 2, 2};

    @Override
    public String name() {
        return "glass_blur";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        int s = Corruption.level(severity);
        HwcImage blurred = gaussian(image, SIGMA[s]);
        double[] v = blurred.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = HwcImage.toUint8(v[i]) / 255.0; // the reference casts to np.uint8 between the two blurs
        }
        shuffle(blurred, DELTA[s], ITERATIONS[s], rng);
        return gaussian(blurred, SIGMA[s]);
    }

    /** The in-place local shuffle; visible for tests (every pixel moves by −δ..δ−1 per swap). */
    public static void shuffle(HwcImage img, int delta, int iterations, SplittableRandom rng) {
        int h = img.height();
        int w = img.width();
        int ch = img.channels();
        double[] v = img.values();
        for (int it = 0; it < iterations; it++) {
            for (int y = h - delta; y > delta; y--) {
                for (int x = w - delta; x > delta; x--) {
                    int dx = rng.nextInt(-delta, delta);
                    int dy = rng.nextInt(-delta, delta);
                    int a = (y * w + x) * ch;
                    int b = ((y + dy) * w + x + dx) * ch;
                    for (int c = 0; c < ch; c++) {
                        double t = v[a + c];
                        v[a + c] = v[b + c];
                        v[b + c] = t;
                    }
                }
            }
        }
    }

    private static HwcImage gaussian(HwcImage img, double sigma) {
        return img.mapPlanes(p -> SeparableFilter.gaussian(p, img.height(), img.width(), sigma, 4.0, Border.NEAREST));
    }
}
