package io.ensemblescope.datasets.corrupt.ops;

import io.ensemblescope.datasets.corrupt.image.HwcImage;

/**
 * ImageMagick's {@code MotionBlurImage(radius, sigma, angle)}, which the reference calls through Wand: a one-sided
 * Gaussian kernel of width {@code 2·ceil(radius)+1} (weights {@code exp(-i²/2σ²)}, normalised), tap i reading the pixel
 * at offset {@code (ceil(i·cos a − ½), ceil(i·sin a − ½))} with edge clamping. The reference round-trips through an
 * 8-bit PNG, so the result is rounded to 8-bit levels.
 */
public final class MagickMotionBlur {
    private MagickMotionBlur() {
    }

    /** The normalised one-sided kernel. */
    public static double[] kernel(double radius, double sigma) {
        if (radius <= 0 || sigma <= 0) {
            throw new IllegalArgumentException("radius and sigma must be > 0, got " + radius + ", " + sigma);
        }
        int width = 2 * (int) Math.ceil(radius) + 1;
        double[] k = new double[width];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            k[i] = Math.exp(-((double) i * i) / (2.0 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < width; i++) {
            k[i] /= sum;
        }
        return k;
    }

    public static HwcImage apply(HwcImage image, double radius, double sigma, double angleDegrees) {
        double[] k = kernel(radius, sigma);
        double a = Math.toRadians(angleDegrees);
        int[] dx = new int[k.length];
        int[] dy = new int[k.length];
        for (int i = 0; i < k.length; i++) {
            dx[i] = (int) Math.ceil(i * Math.cos(a) - 0.5);
            dy[i] = (int) Math.ceil(i * Math.sin(a) - 0.5);
        }
        int h = image.height();
        int w = image.width();
        int ch = image.channels();
        double[] in = image.values();
        double[] out = new double[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * ch;
                for (int i = 0; i < k.length; i++) {
                    int sy = Border.NEAREST.index(y + dy[i], h);
                    int sx = Border.NEAREST.index(x + dx[i], w);
                    int s = (sy * w + sx) * ch;
                    for (int c = 0; c < ch; c++) {
                        out[o + c] += k[i] * in[s + c];
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, Math.min(255, Math.rint(out[i] * 255.0))) / 255.0;
        }
        return new HwcImage(h, w, ch, out);
    }
}
