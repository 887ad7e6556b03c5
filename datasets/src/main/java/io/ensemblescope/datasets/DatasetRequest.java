package io.ensemblescope.datasets;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import java.nio.file.Path;

/**
 * What to load from the dataset catalog.
 *
 * @param name   dataset name, e.g. {@code mnist}, {@code fashion-mnist}, {@code cifar10}
 * @param subset train or test split
 * @param offset index of the first sample
 * @param limit  number of samples, 0 for all from {@code offset} on
 * @param shift  distribution shift applied to the samples, e.g. {@code rotate-30}; empty for none
 * @param path   a directory holding the dataset's files, or null to use the environment, cache or registry
 * @param seed   seed of stochastic shifts
 */
public record DatasetRequest(String name, Subset subset, int offset, int limit, String shift, Path path, long seed) {
    public DatasetRequest {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataset.name must be given");
        }
        if (subset == null) {
            throw new IllegalArgumentException("dataset.subset must be TRAIN or TEST");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("dataset.offset must be >= 0, got " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("dataset.limit must be >= 0 (0 = all), got " + limit);
        }
        shift = shift == null ? "" : shift.strip();
        // Names and shifts reach error messages; longer ones name nothing the catalog knows.
        if (name.length() > MAX_TEXT) {
            throw new IllegalArgumentException("dataset.name must be at most " + MAX_TEXT + " characters, got "
                    + name.length());
        }
        if (shift.length() > MAX_TEXT) {
            throw new IllegalArgumentException("dataset.shift must be at most " + MAX_TEXT + " characters, got "
                    + shift.length());
        }
    }

    /** Longest dataset name or shift accepted. */
    public static final int MAX_TEXT = 128;

    /** All of a split, unshifted, from wherever the catalog finds it. */
    public static DatasetRequest of(String name, Subset subset) {
        return new DatasetRequest(name, subset, 0, 0, "", null, 0L);
    }

    public DatasetRequest withSlice(int newOffset, int newLimit) {
        return new DatasetRequest(name, subset, newOffset, newLimit, shift, path, seed);
    }

    public DatasetRequest withShift(String newShift, long newSeed) {
        return new DatasetRequest(name, subset, offset, limit, newShift, path, newSeed);
    }

    public DatasetRequest withPath(Path newPath) {
        return new DatasetRequest(name, subset, offset, limit, shift, newPath, seed);
    }
}
