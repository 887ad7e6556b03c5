package io.ensemblescope.datasets.corrupt.image;

import java.util.SplittableRandom;

/** One CIFAR-10-C corruption (Hendrycks &amp; Dietterich, 2019) with its five published severities. */
public interface Corruption {
    int MIN_SEVERITY = 1;
    int MAX_SEVERITY = 5;

    /** The reference function name, e.g. {@code gaussian_noise}; also the released file name without ".npy". */
    String name();

    /**
     * Corrupts an RGB image in [0, 1] (HWC); never modifies {@code image}. The result may lie outside [0, 1] only where
     * the reference clips at the final uint8 cast.
     */
    HwcImage apply(HwcImage image, int severity, SplittableRandom rng);

    /** Index 0..4 into a per-severity parameter table; rejects anything but 1..5. */
    static int level(int severity) {
        if (severity < MIN_SEVERITY || severity > MAX_SEVERITY) {
            throw new IllegalArgumentException("severity must be 1..5, got " + severity);
        }
        return severity - 1;
    }
}
