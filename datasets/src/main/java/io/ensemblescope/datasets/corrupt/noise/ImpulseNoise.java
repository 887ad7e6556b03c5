package io.ensemblescope.datasets.corrupt.noise;

import java.util.SplittableRandom;

/**
 * Salt-and-pepper per element (scikit-image {@code random_noise(mode='s&p')}): with probability {@code amount}
 * (.01 .02 .03 .05 .07) the element becomes 1 or 0 with equal odds.
 */
public final class ImpulseNoise extends ElementwiseNoise {
    public ImpulseNoise() {
        super("impulse_noise", .01, .02, .03, .05, .07);
    }

    @Override
    double perturb(double x, double amount, SplittableRandom rng) {
        if (rng.nextDouble() >= amount) {
            return x;
        }
        return rng.nextDouble() < 0.5 ? 1.0 : 0.0;
    }
}
