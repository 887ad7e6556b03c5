package io.ensemblescope.datasets.ood;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small SVHN-format MAT files (X 32×32×3×N column-major uint8, y N×1 with 10 for digit 0) for tests. */
public final class SvhnTestFiles {
    private SvhnTestFiles() {
    }

    /** A distinctive value per (row, col, channel, image). */
    public static int value(int row, int col, int c, int i) {
        return (row * 7 + col * 3 + c * 50 + i * 11) & 0xFF;
    }

    /**
     * Writes {@code file} with one image per entry of {@code matlabLabels}, pixels {@link #value}.
     *
     * @param yStorage MatV5Reader.MI_DOUBLE or MI_UINT8
     */
    public static Path write(Path file, double[] matlabLabels, boolean compress, ByteOrder order, int yStorage)
            throws IOException {
        int n = matlabLabels.length;
        byte[] x = new byte[32 * 32 * 3 * n];
        for (int i = 0; i < n; i++) {
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
            ByteBuffer b = ByteBuffer.allocate(8 * n).order(order);
            for (double v : matlabLabels) {
                b.putDouble(v);
            }
            y = b.array();
        } else {
            y = new byte[n];
            for (int i = 0; i < n; i++) {
                y[i] = (byte) matlabLabels[i];
            }
        }
        byte[] mat = new MatV5TestWriter(order)
                .matrix("X", MatArray.MX_UINT8_CLASS, new int[] {32, 32, 3, n}, MatV5Reader.MI_UINT8, x, compress)
                .matrix("y", MatArray.MX_DOUBLE_CLASS, new int[] {n, 1}, yStorage, y, compress)
                .bytes();
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, mat);
    }
}
