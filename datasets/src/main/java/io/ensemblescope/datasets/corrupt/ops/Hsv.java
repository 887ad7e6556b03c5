package io.ensemblescope.datasets.corrupt.ops;

import io.ensemblescope.datasets.corrupt.image.HwcImage;

/** RGB ↔ HSV on [0, 1] values, following scikit-image's {@code rgb2hsv}/{@code hsv2rgb} (hue in [0, 1)). */
public final class Hsv {
    private Hsv() {
    }

    /** RGB image → HSV image (channel 0 hue, 1 saturation, 2 value). */
    public static HwcImage fromRgb(HwcImage rgb) {
        double[] in = rgb.values();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i += 3) {
            double r = in[i];
            double g = in[i + 1];
            double b = in[i + 2];
            double v = Math.max(r, Math.max(g, b));
            double delta = v - Math.min(r, Math.min(g, b));
            double s = v == 0 ? 0 : delta / v;
            double h = 0;
            if (delta != 0) {
                // scikit-image assigns red, then green, then blue: on ties the later channel wins.
                if (b == v) {
                    h = 4.0 + (r - g) / delta;
                } else if (g == v) {
                    h = 2.0 + (b - r) / delta;
                } else {
                    h = (g - b) / delta;
                }
                h = h / 6.0;
                h = h - Math.floor(h);
            }
            out[i] = h;
            out[i + 1] = s;
            out[i + 2] = v;
        }
        return new HwcImage(rgb.height(), rgb.width(), 3, out);
    }

    /** HSV image → RGB image. */
    public static HwcImage toRgb(HwcImage hsv) {
        double[] in = hsv.values();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i += 3) {
            double h6 = in[i] * 6.0;
            double s = in[i + 1];
            double v = in[i + 2];
            int sector = (int) Math.floor(h6) % 6;
            double f = h6 - Math.floor(h6);
            double p = v * (1 - s);
            double q = v * (1 - f * s);
            double t = v * (1 - (1 - f) * s);
            double r;
            double g;
            double b;
            switch (sector) {
                case 0 -> { r = v; g = t; b = p; }
                case 1 -> { r = q; g = v; b = p; }
                case 2 -> { r = p; g = v; b = t; }
                case 3 -> { r = p; g = q; b = v; }
                case 4 -> { r = t; g = p; b = v; }
                default -> { r = v; g = p; b = q; }
            }
            out[i] = r;
            out[i + 1] = g;
            out[i + 2] = b;
        }
        return new HwcImage(hsv.height(), hsv.width(), 3, out);
    }
}
