package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.DataDirectories;

/**
 * RunEvaluation's data through core's dataset catalog; an unspecified subset means the test set, and
 * {@code dataset.path} names one of the operator's {@link DataDirectories}, never a path.
 */
public final class CatalogDataSource implements EvaluationDataSource {
    private final DatasetCatalog catalog;
    private final DataDirectories dirs;

    public CatalogDataSource(DatasetCatalog catalog) {
        this(catalog, DataDirectories.NONE);
    }

    public CatalogDataSource(DatasetCatalog catalog, DataDirectories dirs) {
        this.catalog = catalog;
        this.dirs = dirs;
    }

    @Override
    public ImageDataset load(DatasetSpec spec) {
        return catalog.load(request(spec, dirs));
    }

    /** The catalog request a spec names. */
    static DatasetRequest request(DatasetSpec spec, DataDirectories dirs) {
        return new DatasetRequest(spec.getName(), MetricsProtos.subset(spec.getSubset()), spec.getOffset(),
                spec.getLimit(), spec.getShift(), dirs.resolve(spec.getPath()).orElse(null), spec.getSeed());
    }
}
