package io.ensemblescope.datasets.ood;

import io.ensemblescope.datasets.ImageDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * SVHN cropped digits ({@code test_32x32.mat}, users bring the file): X is 32×32×3×N uint8 in MATLAB column-major
 * order, y is N×1 with label 10 meaning digit 0. The result is CHW, labels 0..9, name "svhn".
 */
public final class SvhnReader {
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final int SIDE = 32;
    private static final int MATLAB_ZERO_LABEL = 10;

    private SvhnReader() {
    }

    public static ImageDataset read(Path matFile) throws IOException {
        if (!Files.isRegularFile(matFile)) {
            throw new NoSuchElementException("svhn: " + matFile + " not found (download test_32x32.mat yourself)");
        }
        Map<String, MatArray> arrays = MatV5Reader.read(matFile);
        MatArray x = require(arrays, "X", matFile);
        MatArray y = require(arrays, "y", matFile);
        int[] d = x.dims();
        if (d.length != 4 || d[0] != SIDE || d[1] != SIDE || d[2] != 3) {
            throw new IllegalArgumentException("svhn X: expected 32x32x3xN, got " + java.util.Arrays.toString(d));
        }
        int n = d[3];
        if (y.count() != n) {
            throw new IllegalArgumentException("svhn y: " + y.count() + " labels for " + n + " images");
        }
        byte[] colMajor = x.bytes();
        byte[] chw = new byte[colMajor.length];
        int plane = SIDE * SIDE;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int base = (i * 3 + c) * plane; // MATLAB (row, col, c, i) = row + 32·col + 1024·c + 3072·i
                for (int col = 0; col < SIDE; col++) {
                    for (int row = 0; row < SIDE; row++) {
                        chw[base + row * SIDE + col] = colMajor[base + col * SIDE + row];
                    }
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = (int) y.get(i);
            if (label < 0 || label > MATLAB_ZERO_LABEL) {
                throw new IllegalArgumentException("svhn y: label " + label + " at " + i + " outside 0..10");
            }
            labels[i] = label == MATLAB_ZERO_LABEL ? 0 : label;
        }
        return new ImageDataset("svhn", chw, labels, 3, SIDE, SIDE, CLASS_NAMES, ImageDataset.Normalization.unit(3));
    }

    private static MatArray require(Map<String, MatArray> arrays, String name, Path file) {
        MatArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("svhn: " + file + " has no numeric array '" + name + "' (found "
                    + arrays.keySet() + ")");
        }
        return a;
    }
}
