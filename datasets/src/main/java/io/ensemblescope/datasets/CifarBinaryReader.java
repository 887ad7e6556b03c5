package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the original CIFAR-10 binary batches: each record is one label byte then 1024 R, 1024 G and 1024 B bytes
 * (32×32, row-major), which is already the C×H×W layout of {@link ImageDataset}.
 */
public final class CifarBinaryReader {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private CifarBinaryReader() {
    }

    /** The batches, in order, as one dataset. */
    public static ImageDataset read(String name, List<Path> batches, List<String> classNames,
                                    ImageDataset.Normalization normalization) throws IOException {
        long total = 0;
        for (Path batch : batches) {
            long size = Files.size(batch);
            if (size % RECORD_BYTES != 0) {
                throw new IOException(batch + ": " + size + " bytes is not a whole number of " + RECORD_BYTES
                        + "-byte CIFAR records");
            }
            total += size / RECORD_BYTES;
        }
        int count = Math.toIntExact(total);
        byte[] pixels = new byte[Math.multiplyExact(count, IMAGE_BYTES)];
        int[] labels = new int[count];
        int i = 0;
        for (Path batch : batches) {
            byte[] bytes = Files.readAllBytes(batch);
            for (int r = 0; r < bytes.length; r += RECORD_BYTES, i++) {
                labels[i] = bytes[r] & 0xFF;
                System.arraycopy(bytes, r + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ImageDataset(name, pixels, labels, CHANNELS, SIDE, SIDE, classNames, normalization);
    }
}
