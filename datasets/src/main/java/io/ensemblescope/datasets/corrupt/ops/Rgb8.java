package io.ensemblescope.datasets.corrupt.ops;

import io.ensemblescope.datasets.corrupt.image.HwcImage;

/**
 * Conversions between the [0,1] working image and 8-bit forms, for steps the reference runs on PIL / PNG images
 * (pixelate, JPEG, frost). Input images come from uint8 data, so rounding recovers the exact byte.
 */
public final class Rgb8 {
    private Rgb8() {
    }

    public static int level(double v01) {
        return (int) Math.max(0, Math.min(255, Math.rint(v01 * 255.0)));
    }

    /** Channel c scaled to 0..255 (rounded to whole levels). */
    public static double[] plane255(HwcImage img, int c) {
        double[] p = img.plane(c);
        for (int i = 0; i < p.length; i++) {
            p[i] = level(p[i]);
        }
        return p;
    }

    /** Packed 0xRRGGBB per pixel, row-major (the java.awt layout). */
    public static int[] packed(HwcImage img) {
        double[] v = img.values();
        int[] out = new int[img.height() * img.width()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (level(v[3 * i]) << 16) | (level(v[3 * i + 1]) << 8) | level(v[3 * i + 2]);
        }
        return out;
    }

    public static HwcImage fromPacked(int[] rgb, int height, int width) {
        double[] v = new double[rgb.length * 3];
        for (int i = 0; i < rgb.length; i++) {
            v[3 * i] = ((rgb[i] >> 16) & 0xFF) / 255.0;
            v[3 * i + 1] = ((rgb[i] >> 8) & 0xFF) / 255.0;
            v[3 * i + 2] = (rgb[i] & 0xFF) / 255.0;
        }
        return new HwcImage(height, width, 3, v);
    }
}
