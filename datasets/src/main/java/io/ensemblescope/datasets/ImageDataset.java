package io.ensemblescope.datasets;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one in-memory form of every dataset: uint8 images N×C×H×W (row-major, stored as Java bytes: read with
 * {@code & 0xFF}), int labels (−1 where unlabeled, e.g. OOD sets), class names and per-channel normalization.
 */
public final class ImageDataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final Normalization normalization;

    public ImageDataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                        List<String> classNames, Normalization normalization) {
        this.name = Objects.requireNonNull(name, "name");
        this.count = labels.length;
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + count + " images of "
                    + channels + "x" + height + "x" + width + " (expected " + expected + ")");
        }
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException(name + ": normalization has " + normalization.channels()
                    + " channels, images have " + channels);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.normalization = normalization;
    }

    public String name() {
        return name;
    }

    public int size() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Bytes of one image: C×H×W. */
    public int imageBytes() {
        return channels * height * width;
    }

    /** Shape of one sample, [C, H, W]. */
    public long[] sampleShape() {
        return new long[] {channels, height, width};
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The backing pixel array (not copied: treat as read-only). */
    public byte[] pixels() {
        return pixels;
    }

    /** The backing label array (not copied: treat as read-only); −1 marks an unlabeled sample. */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    public boolean labeled() {
        return count == 0 || labels[0] >= 0;
    }

    /** Pixel value 0..255 of image i at (c, y, x). */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /** Images [from, from + n) as a new dataset sharing nothing with this one. */
    public ImageDataset slice(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") outside 0.." + count);
        }
        int per = imageBytes();
        byte[] px = Arrays.copyOfRange(pixels, from * per, (from + n) * per);
        int[] lb = Arrays.copyOfRange(labels, from, from + n);
        return new ImageDataset(name, px, lb, channels, height, width, classNames, normalization);
    }

    /** The same images under another name with new pixels (same shape), e.g. after a corruption. */
    public ImageDataset withPixels(String newName, byte[] newPixels) {
        return new ImageDataset(newName, newPixels, labels, channels, height, width, classNames, normalization);
    }

    /** Same images, renamed. */
    public ImageDataset renamed(String newName) {
        return new ImageDataset(newName, pixels, labels, channels, height, width, classNames, normalization);
    }

    /** Same images with every label −1 (an OOD set is unlabeled with respect to the in-distribution classes). */
    public ImageDataset unlabeled(String newName) {
        int[] none = new int[count];
        Arrays.fill(none, -1);
        return new ImageDataset(newName, pixels, none, channels, height, width, classNames, normalization);
    }

    /** Same images, normalized for another model's input statistics (OOD data is fed as the model expects). */
    public ImageDataset withNormalization(Normalization norm) {
        return new ImageDataset(name, pixels, labels, channels, height, width, classNames, norm);
    }

    /**
     * Writes images [from, from + n) normalized into {@code out} (float, N×C×H×W): x' = (x/255 − mean[c]) / std[c].
     */
    public void normalizedInto(int from, int n, float[] out) {
        int plane = height * width;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 1f / (255f * normalization.std()[c]);
            shift[c] = normalization.mean()[c] / normalization.std()[c];
        }
        int base = from * imageBytes();
        int o = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    out[o] = (pixels[base + o] & 0xFF) * scale[c] - shift[c];
                    o++;
                }
            }
        }
    }

    /** Per-channel normalization statistics in [0, 1] pixel units. */
    public record Normalization(float[] mean, float[] std) {
        public Normalization {
            if (mean.length != std.length) {
                throw new IllegalArgumentException("normalization: " + mean.length + " means, " + std.length + " stds");
            }
            for (float s : std) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("normalization: std must be > 0, got " + s);
                }
            }
        }

        public int channels() {
            return mean.length;
        }

        /** Identity on [0,1] pixels: mean 0, std 1 per channel. */
        public static Normalization unit(int channels) {
            float[] m = new float[channels];
            float[] s = new float[channels];
            Arrays.fill(s, 1f);
            return new Normalization(m, s);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
        }
    }
}
