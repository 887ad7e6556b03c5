package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.datasets.Subset;

/**
 * The metrics service's enum mappings between core and the contract, each an exhaustive switch without
 * {@code default}, so a value added on either side fails to compile here instead of failing at run time.
 */
final class MetricsProtos {
    private MetricsProtos() {}

    static Method method(io.ensemblescope.core.models.Method m) {
        return switch (m) {
            case SINGLE -> Method.SINGLE;
            case MC_DROPOUT -> Method.MC_DROPOUT;
            case DEEP_ENSEMBLE -> Method.DEEP_ENSEMBLE;
            case BATCH_ENSEMBLE -> Method.BATCH_ENSEMBLE;
        };
    }

    /** The evaluated split: an unspecified subset means the test set. */
    static Subset subset(io.ensemblescope.api.v1.Subset s) {
        return switch (s) {
            case TEST, SUBSET_UNSPECIFIED -> Subset.TEST;
            case TRAIN -> Subset.TRAIN;
            case UNRECOGNIZED -> throw new IllegalArgumentException("dataset.subset: must be TRAIN or TEST");
        };
    }
}
