package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.datasets.ImageDataset;
import java.io.IOException;

/**
 * Where RunEvaluation reads its datasets: a spec in, uint8 images [N, C, H, W] with labels out (−1 where unlabeled).
 * The service is wired with core's dataset catalog; this seam keeps the service independent of how data is fetched.
 */
@FunctionalInterface
public interface EvaluationDataSource {
    /**
     * @throws java.util.NoSuchElementException for an unknown dataset
     * @throws IllegalArgumentException         for a malformed spec, naming the field
     */
    ImageDataset load(DatasetSpec spec) throws IOException;

    /** A source that refuses every read: RunEvaluation then fails with FAILED_PRECONDITION and says why. */
    static EvaluationDataSource unconfigured() {
        return spec -> {
            throw new IllegalStateException("RunEvaluation: this metrics service has no dataset source configured");
        };
    }
}
