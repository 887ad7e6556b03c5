package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.Subset;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import org.junit.jupiter.api.Test;

class CatalogDataSourceTest {
    @Test
    void evaluationDefaultsToTheTestSetAndKeepsSliceAndShift() {
        DatasetRequest r = CatalogDataSource.request(DatasetSpec.newBuilder().setName("mnist").setOffset(10)
                .setLimit(20).setShift("rotate-60").setSeed(3).build(), DataDirectories.NONE);
        assertEquals(io.ensemblescope.datasets.Subset.TEST, r.subset());
        assertEquals(10, r.offset());
        assertEquals(20, r.limit());
        assertEquals("rotate-60", r.shift());
        assertEquals(3, r.seed());
        assertNull(r.path());
        assertEquals(io.ensemblescope.datasets.Subset.TRAIN, CatalogDataSource.request(DatasetSpec.newBuilder()
                .setName("mnist").setSubset(Subset.TRAIN).build(), DataDirectories.NONE).subset());
    }

    @Test
    void unknownDatasetIsAnInvalidArgumentNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CatalogDataSource(DatasetCatalog.shared()).load(DatasetSpec.newBuilder()
                        .setName("no-such-set").build()));
        assertTrue(e.getMessage().contains("dataset.name"), e.getMessage());
    }
}
