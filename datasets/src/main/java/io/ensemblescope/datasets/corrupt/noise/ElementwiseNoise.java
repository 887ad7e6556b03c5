package io.ensemblescope.datasets.corrupt.noise;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import java.util.SplittableRandom;

/** A noise drawn independently for every pixel and channel; subclasses give the per-element formula. */
abstract class ElementwiseNoise implements Corruption {
    private final String name;
    private final double[] levels;

    ElementwiseNoise(String name, double... levels) {
        this.name = name;
        this.levels = levels;
    }

    /** The corrupted value of one element x in [0, 1] at severity parameter c. */
    abstract double perturb(double x, double c, SplittableRandom rng);

    @Override
    public String name() {
        return name;
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double c = levels[Corruption.level(severity)];
        HwcImage out = image.copy();
        double[] v = out.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = perturb(v[i], c, rng);
        }
        return out;
    }
}
