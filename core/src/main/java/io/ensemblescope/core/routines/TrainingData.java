package io.ensemblescope.core.routines;

import io.ensemblescope.datasets.ImageDataset;

/** A training split and the validation split held out from its end. */
public record TrainingData(ImageDataset train, ImageDataset validation) {

    /** Holds out the last {@code fraction} of {@code all} for validation (deterministic, no shuffling). */
    public static TrainingData holdOut(ImageDataset all, double fraction) {
        int val = (int) Math.round(all.size() * fraction);
        if (val < 1 || val >= all.size()) {
            throw new IllegalArgumentException("validation_fraction " + fraction + " of " + all.size()
                    + " samples leaves no training or no validation data");
        }
        int train = all.size() - val;
        return new TrainingData(all.slice(0, train), all.slice(train, val));
    }
}
