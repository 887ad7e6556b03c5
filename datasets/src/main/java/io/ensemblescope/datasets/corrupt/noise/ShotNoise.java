package io.ensemblescope.datasets.corrupt.noise;

import io.ensemblescope.datasets.corrupt.ops.Poisson;
import java.util.SplittableRandom;

/** Poisson(x·λ)/λ, λ = 500 250 100 75 50 (photon counting noise). */
public final class ShotNoise extends ElementwiseNoise {
    public ShotNoise() {
        super("shot_noise", 500, 250, 100, 75, 50);
    }

    @Override
    double perturb(double x, double lambda, SplittableRandom rng) {
        return Poisson.sample(x * lambda, rng) / lambda;
    }
}
