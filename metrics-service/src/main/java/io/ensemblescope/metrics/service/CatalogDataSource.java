package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import java.nio.file.Path;

/** RunEvaluation's data through core's dataset catalog; an unspecified subset means the test set. */
public final class CatalogDataSource implements EvaluationDataSource {
    private final DatasetCatalog catalog;

    public CatalogDataSource(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ImageDataset load(DatasetSpec spec) {
        return catalog.load(request(spec));
    }

    /** The catalog request a spec names. */
    static DatasetRequest request(DatasetSpec spec) {
        return new DatasetRequest(spec.getName(), MetricsProtos.subset(spec.getSubset()), spec.getOffset(),
                spec.getLimit(), spec.getShift(), spec.getPath().isEmpty() ? null : Path.of(spec.getPath()),
                spec.getSeed());
    }
}
