package io.ensemblescope.datasets.corrupt.blur;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Border;
import io.ensemblescope.datasets.corrupt.ops.GaussianKernel;
import io.ensemblescope.datasets.corrupt.ops.Kernel2D;
import io.ensemblescope.datasets.corrupt.ops.SeparableFilter;
import java.util.SplittableRandom;

/**
 * Out-of-focus blur: a disk (1 where X²+Y² ≤ r² on the 17×17 grid −8..8, normalised) anti-aliased by a 3×3 Gaussian
 * (σ = alias), correlated with every channel, border reflect-101. (radius, alias) = (.3,.4) (.4,.5) (.5,.6) (1,.2)
 * (1.5,.1).
 */
public final class DefocusBlur implements Corruption {
    private static final double[][] PARAMS = {{.3, .4}, {.4, .5}, {.5, .6}, {1, .2}, {1.5, .1}};
    private static final int GRID_RADIUS = 8;
    private static final Kernel2D[] KERNELS = new Kernel2D[PARAMS.length];

    static {
        for (int s = 0; s < PARAMS.length; s++) {
            KERNELS[s] = disk(PARAMS[s][0], PARAMS[s][1]);
        }
    }

    @Override
    public String name() {
        return "defocus_blur";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        Kernel2D k = KERNELS[Corruption.level(severity)];
        return image.mapPlanes(p -> k.correlate(p, image.height(), image.width(), Border.REFLECT_101));
    }

    /** The anti-aliased disk kernel (zero margins trimmed; the anchor stays on the disk centre). */
    public static Kernel2D disk(double radius, double alias) {
        int size = 2 * GRID_RADIUS + 1;
        double[] d = new double[size * size];
        double sum = 0;
        for (int y = -GRID_RADIUS; y <= GRID_RADIUS; y++) {
            for (int x = -GRID_RADIUS; x <= GRID_RADIUS; x++) {
                if (x * x + y * y <= radius * radius) {
                    d[(y + GRID_RADIUS) * size + x + GRID_RADIUS] = 1;
                    sum++;
                }
            }
        }
        for (int i = 0; i < d.length; i++) {
            d[i] /= sum;
        }
        double[] smooth = SeparableFilter.apply(d, size, size, GaussianKernel.opencv(3, alias), Border.REFLECT_101);
        return Kernel2D.centred(smooth, size).trimmed();
    }
}
