package io.ensemblescope.core.data.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.core.data.ImageDataset;
import java.nio.ByteBuffer;
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

    /** A distinctive value per (row, col, channel, image). */
    private static int value(int row, int col, int c, int i) {
        return (row * 7 + col * 3 + c * 50 + i * 11) & 0xFF;
    }

    private Path writeSvhn(boolean compress, ByteOrder order, int yStorage) throws Exception {
        byte[] x = new byte[32 * 32 * 3 * N];
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 3; c++) {
                for (int col = 0; col < 32; col++) {
                    for (int row = 0; row < 32; row++) {
                        x[row + 32 * col + 1024 * c + 3072 * i] = (byte) value(row, col, c, i); // column-major
                    }
                }
            }
        }
        byte[] y;
        if (yStorage == MatV5Reader.MI_DOUBLE) {
            ByteBuffer b = ByteBuffer.allocate(8 * N).order(order);
            for (double v : MATLAB_LABELS) {
                b.putDouble(v);
            }
            y = b.array();
        } else {
            y = new byte[N];
            for (int i = 0; i < N; i++) {
                y[i] = (byte) MATLAB_LABELS[i];
            }
        }
        byte[] mat = new MatV5TestWriter(order)
                .matrix("X", MatArray.MX_UINT8_CLASS, new int[] {32, 32, 3, N}, MatV5Reader.MI_UINT8, x, compress)
                .matrix("y", MatArray.MX_DOUBLE_CLASS, new int[] {N, 1}, yStorage, y, compress)
                .bytes();
        Path f = dir.resolve("test_32x32_" + compress + "_" + order + "_" + yStorage + ".mat");
        Files.write(f, mat);
        return f;
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
                                    assertEquals(value(row, col, c, i), d.pixel(i, c, row, col),
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
