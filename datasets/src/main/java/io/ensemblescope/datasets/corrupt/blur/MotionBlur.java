package io.ensemblescope.datasets.corrupt.blur;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.MagickMotionBlur;
import java.util.SplittableRandom;

/** ImageMagick motion blur at angle U(−45°, 45°); (radius, σ) = (6,1) (6,1.5) (6,2) (8,2) (9,2.5). */
public final class MotionBlur implements Corruption {
    private static final double[][] PARAMS = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};

    @Override
    public String name() {
        return "motion_blur";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double[] p = PARAMS[Corruption.level(severity)];
        return MagickMotionBlur.apply(image, p[0], p[1], rng.nextDouble(-45, 45));
    }
}
