package io.ensemblescope.datasets.corrupt.blur;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Border;
import io.ensemblescope.datasets.corrupt.ops.SeparableFilter;
import java.util.SplittableRandom;

/** scikit-image Gaussian blur per channel (truncate 4, edge "nearest"), σ = .4 .6 .7 .8 1 (extra corruption). */
public final class GaussianBlur implements Corruption {
    private static final double[] SIGMA = {.4, .6, .7, .8, 1};

    @Override
    public String name() {
        return "gaussian_blur";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double sigma = SIGMA[Corruption.level(severity)];
        return image.mapPlanes(p -> SeparableFilter.gaussian(p, image.height(), image.width(), sigma, 4.0,
                Border.NEAREST));
    }
}
