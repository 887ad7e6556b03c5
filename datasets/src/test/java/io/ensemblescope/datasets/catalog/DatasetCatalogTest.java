package io.ensemblescope.datasets.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.DatasetUnavailableException;
import io.ensemblescope.datasets.FetchListener;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slicing, validation and extension of the catalog, on the real MNIST test split. */
class DatasetCatalogTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();
    private static final DatasetRequest MNIST_TEST = DatasetRequest.of("mnist", Subset.TEST);

    @Test
    void sliceIsTheSameSamplesAsTheFullSplit() {
        ImageDataset full = CATALOG.load(MNIST_TEST);
        ImageDataset slice = CATALOG.load(MNIST_TEST.withSlice(5, 3));
        assertEquals(3, slice.size());
        assertArrayEquals(new int[] {1, 4, 9}, slice.labels());
        int per = full.imageBytes();
        assertArrayEquals(Arrays.copyOfRange(full.pixels(), 5 * per, 8 * per), slice.pixels());
        assertEquals(9_990, CATALOG.load(MNIST_TEST.withSlice(10, 0)).size());
    }

    @Test
    void decodedSplitIsKeptInMemory() {
        assertSame(CATALOG.split("mnist", Subset.TEST, null), CATALOG.split("MNIST", Subset.TEST, null));
    }

    @Test
    void unknownNameListsTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CATALOG.load(DatasetRequest.of("imagenet", Subset.TEST)));
        assertTrue(e.getMessage().startsWith("dataset.name"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar10, cifar10-holdout-in, cifar10-holdout-ood, fashion-mnist,"
                + " fashion-mnist-32, mnist, mnist-32, svhn"), e.getMessage());
    }

    @Test
    void badOffsetAndLimitNameTheirFields() {
        assertField("dataset.offset", () -> MNIST_TEST.withSlice(-1, 0));
        assertField("dataset.limit", () -> MNIST_TEST.withSlice(0, -5));
        assertField("dataset.offset", () -> CATALOG.load(MNIST_TEST.withSlice(10_000, 0)));
        assertField("dataset.limit", () -> CATALOG.load(MNIST_TEST.withSlice(9_999, 2)));
    }

    @Test
    void unknownOrMalformedShiftNamesTheField() {
        assertField("dataset.shift", () -> CATALOG.load(MNIST_TEST.withShift("blur-3", 0)));
        assertField("dataset.shift", () -> CATALOG.load(MNIST_TEST.withShift("rotate-left", 0)));
        assertField("dataset.shift", () -> CATALOG.load(MNIST_TEST.withShift("gaussian-noise--0.1", 0)));
    }

    @Test
    void missingUserDirectoryFallsBackAndUnavailableDataIsAPreconditionFailure(@TempDir Path empty) {
        DatasetCatalog offline = new DatasetCatalog(new DatasetFetcher(empty.resolve("cache"), false,
                name -> null, FetchListener.NONE));
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> offline.load(DatasetRequest.of("fashion-mnist", Subset.TEST).withPath(empty)));
        assertTrue(e.getMessage().contains("apt-get download dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void registeredDatasetsAndShiftsAreServed() {
        DatasetCatalog catalog = new DatasetCatalog(DatasetFetcher.standard());
        AtomicInteger loads = new AtomicInteger();
        catalog.register("mnist-evens", (subset, dir) -> {
            loads.incrementAndGet();
            ImageDataset base = CATALOG.split("mnist", subset, dir);
            return base.slice(0, 100).renamed("mnist-evens");
        });
        catalog.shifts().register("invert", arg -> (images, first, seed) -> {
            byte[] out = images.pixels().clone();
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (255 - (out[i] & 0xFF));
            }
            return images.withPixels(images.name(), out);
        });
        ImageDataset inverted = catalog.load(new DatasetRequest("mnist-evens", Subset.TEST, 0, 10, "invert", null, 0));
        ImageDataset plain = catalog.load(new DatasetRequest("mnist-evens", Subset.TEST, 0, 10, "", null, 0));
        assertEquals(1, loads.get());
        assertEquals("mnist-evens+invert", inverted.name());
        assertEquals(255 - plain.pixel(0, 0, 14, 14), inverted.pixel(0, 0, 14, 14));
        assertThrows(IllegalArgumentException.class, () -> catalog.register("MNIST", (s, d) -> null));
        assertTrue(catalog.names().containsAll(List.of("mnist", "mnist-evens")));
    }

    private static void assertField(String field, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
