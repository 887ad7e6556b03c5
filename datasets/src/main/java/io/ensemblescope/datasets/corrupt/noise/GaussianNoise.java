package io.ensemblescope.datasets.corrupt.noise;

import java.util.SplittableRandom;

/** x + N(0, σ), σ = .04 .06 .08 .09 .10. */
public final class GaussianNoise extends ElementwiseNoise {
    public GaussianNoise() {
        super("gaussian_noise", .04, .06, .08, .09, .10);
    }

    @Override
    double perturb(double x, double sigma, SplittableRandom rng) {
        return x + sigma * rng.nextGaussian();
    }
}
