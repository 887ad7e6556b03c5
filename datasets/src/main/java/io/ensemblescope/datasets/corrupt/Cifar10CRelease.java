package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.npy.Npy;
import io.ensemblescope.datasets.npy.NpyHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The released CIFAR-10-C layout: {@code <corruption>.npy} of shape (5·N, 32, 32, 3) uint8 (HWC), severities 1..5 in
 * consecutive blocks of N images, plus {@code labels.npy} (5·N labels; uint8 as the reference script saves them,
 * though any integer dtype is read).
 */
public final class Cifar10CRelease {
    public static final String LABELS = "labels.npy";
    private static final int SIDE = Cifar10CGenerator.SIDE;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private Cifar10CRelease() {
    }

    /** Generates and writes every available corruption of {@code names} into {@code outDir}, severities 1..5. */
    public static GenerationReport write(Cifar10CGenerator generator, ImageDataset clean, Path outDir,
                                         List<String> names, long seed) throws IOException {
        return write(generator, clean, outDir, names, new int[] {1, 2, 3, 4, 5}, seed);
    }

    /**
     * As the released layout but with only {@code severities}, in that order: each file holds one block of N images
     * per severity, and labels.npy the labels once per block. Only {1..5} is the released layout that
     * {@link #read} understands.
     */
    public static GenerationReport write(Cifar10CGenerator generator, ImageDataset clean, Path outDir,
                                         List<String> names, int[] severities, long seed) throws IOException {
        if (severities.length == 0) {
            throw new IllegalArgumentException("severities: at least one");
        }
        for (int s : severities) {
            Corruption.level(s);
        }
        GenerationReport plan = generator.plan(names);
        Files.createDirectories(outDir);
        int n = clean.size();
        int blocks = severities.length;
        long[] shape = {(long) blocks * n, SIDE, SIDE, 3};
        for (String name : plan.generated()) {
            try (OutputStream out = Npy.openUint8(outDir.resolve(name + ".npy"), shape)) {
                byte[] block = new byte[n * IMAGE_BYTES];
                for (int s : severities) {
                    generator.corruptInto(clean, name, s, seed, (i, img) -> img.writeHwcUint8(block, i * IMAGE_BYTES));
                    out.write(block);
                }
            }
        }
        byte[] labels = new byte[blocks * n];
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < n; i++) {
                int label = clean.label(i);
                if (label < 0 || label > 255) {
                    throw new IllegalArgumentException("dataset " + clean.name() + ": label " + label + " at " + i
                            + " does not fit the uint8 labels.npy");
                }
                labels[b * n + i] = (byte) label;
            }
        }
        Npy.writeUint8(outDir.resolve(LABELS), new long[] {(long) blocks * n}, labels);
        return plan;
    }

    /** One severity block of a released (or regenerated) corruption file as a dataset named e.g. cifar10-c/fog-5. */
    public static ImageDataset read(Path dir, String corruption, int severity, List<String> classNames,
                                    ImageDataset.Normalization normalization) throws IOException {
        Corruption.level(severity);
        Path file = dir.resolve(corruption + ".npy");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchElementException("cifar10-c: " + file + " not found");
        }
        NpyHeader h = Npy.header(file);
        long[] shape = h.shape();
        if (shape.length != 4 || shape[1] != SIDE || shape[2] != SIDE || shape[3] != 3 || shape[0] % 5 != 0) {
            throw new IllegalArgumentException("cifar10-c: " + file + " has shape " + java.util.Arrays.toString(shape)
                    + ", expected (5*N, 32, 32, 3)");
        }
        int n = (int) (shape[0] / 5);
        long first = (long) (severity - 1) * n;
        byte[] hwc = Npy.readBytes(file, first * IMAGE_BYTES, (long) n * IMAGE_BYTES);
        long[] allLabels = Npy.readLongs(dir.resolve(LABELS));
        if (allLabels.length != shape[0]) {
            throw new IllegalArgumentException("cifar10-c: " + LABELS + " has " + allLabels.length + " labels for "
                    + shape[0] + " images");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = Math.toIntExact(allLabels[(int) first + i]);
        }
        return new ImageDataset("cifar10-c/" + corruption + "-" + severity, hwcToChw(hwc, n), labels, 3, SIDE, SIDE,
                classNames, normalization);
    }

    private static byte[] hwcToChw(byte[] hwc, int n) {
        byte[] chw = new byte[hwc.length];
        int plane = SIDE * SIDE;
        for (int i = 0; i < n; i++) {
            int base = i * IMAGE_BYTES;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    chw[base + c * plane + p] = hwc[base + p * 3 + c];
                }
            }
        }
        return chw;
    }
}
