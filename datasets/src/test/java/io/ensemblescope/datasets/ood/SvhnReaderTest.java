package io.ensemblescope.datasets.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.ImageDataset;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvhnReaderTest {
    private static final int N = 3;
    private static final double[] MATLAB_LABELS = {10, 1, 5};

    @TempDir
    Path dir;

    private Path writeSvhn(boolean compress, ByteOrder order, int yStorage) throws Exception {
        return SvhnTestFiles.write(dir.resolve("test_32x32_" + compress + "_" + order + "_" + yStorage + ".mat"),
                MATLAB_LABELS, compress, order, yStorage);
    }

    @Test
    void readsUncompressedAndCompressedFiles() throws Exception {
        for (boolean compress : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (int yStorage : new int[] {MatV5Reader.MI_DOUBLE, MatV5Reader.MI_UINT8}) {
                    ImageDataset d = SvhnReader.read(writeSvhn(compress, order, yStorage));
                    String ctx = "compress=" + compress + " " + order + " y as " + yStorage;
                    assertEquals("svhn", d.name());
                    assertEquals(N, d.size(), ctx);
                    assertArrayEquals(new int[] {0, 1, 5}, d.labels(), ctx + ": label 10 is digit 0");
                    assertEquals(10, d.numClasses());
                    for (int i = 0; i < N; i++) {
                        for (int c = 0; c < 3; c++) {
                            for (int row : new int[] {0, 1, 17, 31}) {
                                for (int col : new int[] {0, 2, 30, 31}) {
                                    assertEquals(SvhnTestFiles.value(row, col, c, i), d.pixel(i, c, row, col),
                                            ctx + " pixel " + i + "," + c + "," + row + "," + col);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void missingOrForeignFilesFailClearly() throws Exception {
        assertThrows(NoSuchElementException.class, () -> SvhnReader.read(dir.resolve("absent.mat")));
        Path bogus = dir.resolve("bogus.mat");
        Files.write(bogus, new byte[200]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SvhnReader.read(bogus));
        assertTrue(e.getMessage().contains("MAT-file"), e.getMessage());
        Path onlyY = dir.resolve("only_y.mat");
        Files.write(onlyY, new MatV5TestWriter(ByteOrder.LITTLE_ENDIAN)
                .matrix("y", MatArray.MX_DOUBLE_CLASS, new int[] {1, 1}, MatV5Reader.MI_UINT8, new byte[] {3}, false)
                .bytes());
        IllegalArgumentException noX = assertThrows(IllegalArgumentException.class, () -> SvhnReader.read(onlyY));
        assertTrue(noX.getMessage().contains("'X'"), noX.getMessage());
    }
}
