package io.ensemblescope.datasets.corrupt.blur;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.ClippedZoom;
import java.util.SplittableRandom;

/**
 * Mean of the image and its centre zooms by factors 1.00, 1.01, …: {@code np.arange(1, stop, .01)} with stops 1.06,
 * 1.11, 1.16, 1.21, 1.26, which (floating point included) yields 7, 12, 16, 21 and 26 factors.
 */
public final class ZoomBlur implements Corruption {
    private static final int[] FACTOR_COUNTS = {7, 12, 16, 21, 26};

    @Override
    public String name() {
        return "zoom_blur";
    }

    /** The zoom factors used at a severity. */
    public static double[] factors(int severity) {
        double[] z = new double[FACTOR_COUNTS[Corruption.level(severity)]];
        for (int i = 0; i < z.length; i++) {
            z[i] = 1.0 + i * 0.01;
        }
        return z;
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        if (image.height() != image.width()) {
            throw new IllegalArgumentException("zoom_blur needs square images, got " + image.height() + "x"
                    + image.width());
        }
        double[] zooms = factors(severity);
        int n = image.height();
        return image.mapPlanes(p -> {
            double[] sum = p.clone();
            for (double z : zooms) {
                double[] zoomed = ClippedZoom.apply(p, n, z);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += zoomed[i];
                }
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= zooms.length + 1;
            }
            return sum;
        });
    }
}
