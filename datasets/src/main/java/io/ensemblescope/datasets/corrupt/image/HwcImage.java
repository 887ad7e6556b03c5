package io.ensemblescope.datasets.corrupt.image;

import java.util.Arrays;

/**
 * A working image for the corruptions: height×width×channels doubles in HWC order, nominally in [0, 1] (the reference
 * generator works on {@code x / 255.} in float64). Values may leave [0, 1] mid-pipeline; {@link #writeChwUint8} clips.
 */
public final class HwcImage {
    /**
     * Slack (in 0..255 units) for the truncating cast: a value that is an exact integer in real arithmetic but lands a
     * few ulps below it after the [0,1] round trip must not lose a whole grey level.
     */
    private static final double TRUNCATION_SLACK = 1e-6;

    private final int height;
    private final int width;
    private final int channels;
    private final double[] values;

    public HwcImage(int height, int width, int channels, double[] values) {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width + "x" + channels);
        }
        if (values.length != height * width * channels) {
            throw new IllegalArgumentException("values: " + values.length + " for " + height + "x" + width + "x" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.values = values;
    }

    public static HwcImage zeros(int height, int width, int channels) {
        return new HwcImage(height, width, channels, new double[height * width * channels]);
    }

    /** Reads one C×H×W uint8 image starting at {@code offset} and scales it to [0, 1]. */
    public static HwcImage fromChwUint8(byte[] chw, int offset, int channels, int height, int width) {
        double[] v = new double[height * width * channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                v[p * channels + c] = (chw[base + p] & 0xFF) / 255.0;
            }
        }
        return new HwcImage(height, width, channels, v);
    }

    /** Writes the image as C×H×W uint8 at {@code offset}: clip to [0,1], ×255, truncate (as {@code np.uint8} does). */
    public void writeChwUint8(byte[] chw, int offset) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                chw[base + p] = (byte) toUint8(values[p * channels + c]);
            }
        }
    }

    /** Writes the image as H×W×C uint8 (the released CIFAR-10-C .npy layout) at {@code offset}, truncating. */
    public void writeHwcUint8(byte[] hwc, int offset) {
        for (int i = 0; i < values.length; i++) {
            hwc[offset + i] = (byte) toUint8(values[i]);
        }
    }

    /** Clip to [0, 1], scale to 0..255 and truncate. */
    public static int toUint8(double v) {
        double clipped = v < 0 ? 0 : (v > 1 ? 1 : v);
        return (int) (clipped * 255.0 + TRUNCATION_SLACK);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** The backing array (HWC), mutable on purpose: corruptions work in place on their own copies. */
    public double[] values() {
        return values;
    }

    public double get(int y, int x, int c) {
        return values[(y * width + x) * channels + c];
    }

    public void set(int y, int x, int c, double v) {
        values[(y * width + x) * channels + c] = v;
    }

    public HwcImage copy() {
        return new HwcImage(height, width, channels, values.clone());
    }

    /** Channel c as a row-major H×W plane (a copy). */
    public double[] plane(int c) {
        double[] p = new double[height * width];
        for (int i = 0; i < p.length; i++) {
            p[i] = values[i * channels + c];
        }
        return p;
    }

    public void setPlane(int c, double[] plane) {
        for (int i = 0; i < plane.length; i++) {
            values[i * channels + c] = plane[i];
        }
    }

    /** Applies {@code op} to every channel plane independently (the reference's per-channel / multichannel filters). */
    public HwcImage mapPlanes(java.util.function.UnaryOperator<double[]> op) {
        HwcImage out = zeros(height, width, channels);
        for (int c = 0; c < channels; c++) {
            out.setPlane(c, op.apply(plane(c)));
        }
        return out;
    }

    /** Clip every value to [0, 1] in place; returns this. */
    public HwcImage clip01() {
        for (int i = 0; i < values.length; i++) {
            values[i] = values[i] < 0 ? 0 : (values[i] > 1 ? 1 : values[i]);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HwcImage h && h.height == height && h.width == width && h.channels == channels
                && Arrays.equals(h.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
