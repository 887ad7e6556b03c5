package io.ensemblescope.datasets.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.corrupt.Cifar10CGenerator;
import io.ensemblescope.datasets.corrupt.FrostDirectory;
import io.ensemblescope.datasets.ood.GrayscaleTo32;
import io.ensemblescope.datasets.ood.MatV5Reader;
import io.ensemblescope.datasets.ood.SvhnTestFiles;
import io.ensemblescope.testing.SyntheticFrost;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR study's datasets and the cifar10c- shift, served by the shared catalog on real data slices. */
class RobustnessDatasetsTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();

    @Test
    void grayscaleSetsAre32x32RgbWithCifarNormalizationAndNoLabels() {
        for (String[] pair : new String[][] {{"mnist-32", "mnist"}, {"fashion-mnist-32", "fashion-mnist"}}) {
            ImageDataset big = CATALOG.load(new DatasetRequest(pair[0], Subset.TEST, 7, 5, "", null, 0));
            ImageDataset gray = CATALOG.load(new DatasetRequest(pair[1], Subset.TEST, 7, 5, "", null, 0));
            assertArrayEquals(new long[] {3, 32, 32}, big.sampleShape(), pair[0]);
            assertEquals(StandardDatasets.CIFAR10_NORM, big.normalization(), pair[0]);
            assertEquals(pair[0] + "-test", big.name());
            assertFalse(big.labeled(), pair[0] + " is an OOD set");
            assertArrayEquals(GrayscaleTo32.convert(gray, "x").pixels(), big.pixels(), pair[0]);
            assertEquals(big.pixel(2, 0, 16, 16), big.pixel(2, 2, 16, 16));
        }
    }

    @Test
    void heldOutClassesSplitCifar10IntoSixInAndFourOut() {
        ImageDataset cifar = CATALOG.split("cifar10", Subset.TEST, null);
        ImageDataset in = CATALOG.split("cifar10-holdout-in", Subset.TEST, null);
        ImageDataset ood = CATALOG.split("cifar10-holdout-ood", Subset.TEST, null);
        assertEquals(6_000, in.size());
        assertEquals(4_000, ood.size());
        assertEquals(6, in.numClasses());
        assertEquals("dog", in.classNames().get(5));
        assertTrue(Arrays.stream(in.labels()).allMatch(l -> l >= 0 && l < 6));
        assertFalse(ood.labeled());
        assertEquals(StandardDatasets.CIFAR10_NORM, ood.normalization());
        int firstOut = 0;
        while (cifar.label(firstOut) < 6) {
            firstOut++;
        }
        int per = cifar.imageBytes();
        assertArrayEquals(Arrays.copyOfRange(cifar.pixels(), firstOut * per, (firstOut + 1) * per),
                CATALOG.load(new DatasetRequest("cifar10-holdout-ood", Subset.TEST, 0, 1, "", null, 0)).pixels());
    }

    @Test
    void svhnIsReadFromTheUserDirectoryWithCifarNormalization(@TempDir Path dir) throws Exception {
        SvhnTestFiles.write(dir.resolve("test_32x32.mat"), new double[] {10, 3, 7, 1}, true,
                ByteOrder.LITTLE_ENDIAN, MatV5Reader.MI_DOUBLE);
        ImageDataset svhn = CATALOG.load(new DatasetRequest("svhn", Subset.TEST, 1, 3, "", dir, 0));
        assertEquals("svhn-test", svhn.name());
        assertArrayEquals(new int[] {3, 7, 1}, svhn.labels());
        assertArrayEquals(new long[] {3, 32, 32}, svhn.sampleShape());
        assertEquals(StandardDatasets.CIFAR10_NORM, svhn.normalization());
        assertEquals(SvhnTestFiles.value(5, 9, 2, 1), svhn.pixel(0, 2, 5, 9));
    }

    @Test
    void absentSvhnSaysHowToSupplyIt(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CATALOG.load(new DatasetRequest("svhn", Subset.TEST, 0, 1, "", empty, 0)));
        assertTrue(e.getMessage().contains("test_32x32.mat not found"), e.getMessage());
        assertTrue(e.getMessage().contains("ESCOPE_SVHN_DIR"), e.getMessage());
        IllegalStateException train = assertThrows(IllegalStateException.class,
                () -> CATALOG.load(new DatasetRequest("svhn", Subset.TRAIN, 0, 1, "", empty, 0)));
        assertTrue(train.getMessage().contains("train_32x32.mat"), train.getMessage());
    }

    @Test
    void cifar10cShiftThroughTheCatalogEqualsTheGeneratorAppliedDirectly(@TempDir Path tmp) {
        Path synthetic = SyntheticFrost.write(tmp);
        Function<String, String> environment = name -> name.equals(FrostDirectory.ENV) ? synthetic.toString() : null;
        DatasetCatalog catalog = new DatasetCatalog(DatasetFetcher.standard(), environment);
        // -Descope.frost.dir, where given, wins over the environment, for the catalog and here alike.
        Path frost = FrostDirectory.locate(System::getProperty, environment).orElseThrow();
        Cifar10CGenerator direct = new Cifar10CGenerator(frost, 1);
        ImageDataset clean = catalog.load(new DatasetRequest("cifar10", Subset.TEST, 10, 4, "", null, 0));
        for (String corruption : new String[] {"gaussian_noise", "frost", "contrast"}) {
            ImageDataset viaCatalog = catalog.load(new DatasetRequest("cifar10", Subset.TEST, 10, 4,
                    "cifar10c-" + corruption + "-5", null, 3));
            ImageDataset expected = direct.corrupt(clean, 10, corruption, 5, 3);
            assertArrayEquals(expected.pixels(), viaCatalog.pixels(), corruption);
            assertArrayEquals(clean.labels(), viaCatalog.labels());
            assertEquals("cifar10-test+cifar10c-" + corruption + "-5", viaCatalog.name());
            assertFalse(Arrays.equals(clean.pixels(), viaCatalog.pixels()), corruption + " changed the images");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> catalog.load(
                new DatasetRequest("cifar10", Subset.TEST, 0, 1, "cifar10c-rain-5", null, 0)));
        assertTrue(bad.getMessage().startsWith("dataset.shift"), bad.getMessage());
    }

    @Test
    void frostWithoutTexturesSaysHowToSupplyThem(@TempDir Path empty) {
        DatasetCatalog fresh = new DatasetCatalog(DatasetFetcher.standard(),
                name -> name.equals(FrostDirectory.ENV) ? empty.toString() : null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh.shifts().parse("cifar10c-frost-5"));
        assertTrue(e.getMessage().contains(FrostDirectory.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("frost1.png"), e.getMessage());
        fresh.shifts().parse("cifar10c-fog-5"); // the other corruptions need no textures
    }
}
