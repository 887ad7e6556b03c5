package io.ensemblescope.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.catalog.StandardDatasets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX decoding on the real MNIST and Fashion-MNIST files, fetched through the registry into the user cache. */
class IdxReaderTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();

    @Test
    void mnistTestSplitHasTheKnownLabelsAndShape() {
        ImageDataset test = CATALOG.load(DatasetRequest.of("mnist", Subset.TEST));
        assertEquals(10_000, test.size());
        assertEquals(1, test.channels());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(test.labels(), 10));
        assertEquals(StandardDatasets.MNIST_CLASSES, test.classNames());
        assertEquals(0.1307f, test.normalization().mean()[0]);
        // A digit on a black background: corners dark, some ink in the middle.
        assertEquals(0, test.pixel(0, 0, 0, 0));
        int ink = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                ink += test.pixel(0, 0, y, x) > 128 ? 1 : 0;
            }
        }
        assertTrue(ink > 20, "first test digit has " + ink + " bright pixels");
    }

    @Test
    void mnistTrainSplitMeanMatchesItsNormalization() {
        ImageDataset train = CATALOG.load(DatasetRequest.of("mnist", Subset.TRAIN));
        assertEquals(60_000, train.size());
        double sum = 0;
        for (byte b : train.pixels()) {
            sum += b & 0xFF;
        }
        assertEquals(0.1307, sum / train.pixels().length / 255.0, 1e-4);
    }

    @Test
    void fashionMnistTestSplitHasTheKnownLabels() {
        ImageDataset test = CATALOG.load(DatasetRequest.of("fashion-mnist", Subset.TEST));
        assertEquals(10_000, test.size());
        assertEquals(28, test.height());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, Arrays.copyOf(test.labels(), 5));
        assertEquals("Ankle boot", test.classNames().get(test.label(0)));
    }

    @Test
    void gzippedAndRawFilesReadTheSame(@TempDir Path tmp) throws IOException {
        DatasetFiles files = DatasetFetcher.standard().resolve(StandardDatasets.MNIST_SPEC, null);
        Path images = files.path("t10k-images-idx3-ubyte");
        Path labels = files.path("t10k-labels-idx1-ubyte");
        Path imagesGz = gzip(images, tmp.resolve("images.gz"));
        Path labelsGz = gzip(labels, tmp.resolve("labels.gz"));
        ImageDataset raw = IdxReader.read("raw", images, labels, StandardDatasets.MNIST_CLASSES,
                StandardDatasets.MNIST_NORM);
        ImageDataset gz = IdxReader.read("gz", imagesGz, labelsGz, StandardDatasets.MNIST_CLASSES,
                StandardDatasets.MNIST_NORM);
        assertArrayEquals(raw.pixels(), gz.pixels());
        assertArrayEquals(raw.labels(), gz.labels());
    }

    @Test
    void imagesAndLabelsSwappedIsAClearError() throws IOException {
        DatasetFiles files = DatasetFetcher.standard().resolve(StandardDatasets.MNIST_SPEC, null);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read("swapped",
                files.path("t10k-labels-idx1-ubyte"), files.path("t10k-images-idx3-ubyte"),
                StandardDatasets.MNIST_CLASSES, StandardDatasets.MNIST_NORM));
        assertTrue(e.getMessage().contains("not an IDX ubyte file with 3 dimension(s)"), e.getMessage());
    }

    private static Path gzip(Path from, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
        return to;
    }
}
