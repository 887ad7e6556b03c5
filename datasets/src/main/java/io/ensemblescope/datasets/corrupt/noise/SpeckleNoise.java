package io.ensemblescope.datasets.corrupt.noise;

import java.util.SplittableRandom;

/** x + x·N(0, c), c = .06 .1 .12 .16 .2 (extra corruption). */
public final class SpeckleNoise extends ElementwiseNoise {
    public SpeckleNoise() {
        super("speckle_noise", .06, .1, .12, .16, .2);
    }

    @Override
    double perturb(double x, double c, SplittableRandom rng) {
        return x + x * c * rng.nextGaussian();
    }
}
