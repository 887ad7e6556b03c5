package io.ensemblescope.datasets;

/** A distribution shift applied to loaded images (e.g. rotation, noise), as named in {@link DatasetRequest#shift()}. */
@FunctionalInterface
public interface Shift {
    /**
     * Returns shifted copies of {@code images}, which must not be modified.
     *
     * @param firstIndex index, within its split, of the first image: stochastic shifts draw per sample from
     *                   (seed, index), so a slice gets the same noise as the same samples of a larger slice
     * @param seed       the request's seed
     */
    ImageDataset apply(ImageDataset images, int firstIndex, long seed);
}
