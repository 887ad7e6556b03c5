package io.ensemblescope.datasets.corrupt.weather;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.ClippedZoom;
import io.ensemblescope.datasets.corrupt.ops.MagickMotionBlur;
import java.util.SplittableRandom;

/**
 * Snow: a flake layer N(loc, scale) is zoomed, thresholded, quantised to 8 bits and motion-blurred at U(−135°, −45°);
 * the image is whitened (blend·x + (1−blend)·max(x, 1.5·gray + .5)) and the layer plus its 180° rotation is added.
 */
public final class Snow implements Corruption {
    /** (loc, scale, zoom, threshold, blur radius, blur sigma, blend) per severity. */
    private static final double[][] PARAMS = {
        {.1, .2, 1, .6, 8, 3, .95},
        {.1, .2, 1, .5, 10, 4, .9},
        {.15, .3, 1.75, .55, 10, 4, .9},
        {.25, .3, 2.25, .6, 12, 6, .85},
        {.3, .3, 1.25, .65, 14, 12, .8}};

    @Override
    public String name() {
        return "snow";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double[] p = PARAMS[Corruption.level(severity)];
        int n = image.height();
        if (image.width() != n || image.channels() != 3) {
            throw new IllegalArgumentException("snow needs square RGB images, got " + n + "x" + image.width() + "x"
                    + image.channels());
        }
        double[] layer = new double[n * n];
        for (int i = 0; i < layer.length; i++) {
            layer[i] = p[0] + p[1] * rng.nextGaussian();
        }
        layer = ClippedZoom.apply(layer, n, p[2]);
        for (int i = 0; i < layer.length; i++) {
            double v = layer[i] < p[3] ? 0 : layer[i];
            layer[i] = HwcImage.toUint8(v) / 255.0; // the reference hands ImageMagick an 8-bit PNG
        }
        double[] flakes = MagickMotionBlur.apply(new HwcImage(n, n, 1, layer), p[4], p[5], rng.nextDouble(-135, -45))
                .values();
        double blend = p[6];
        double[] in = image.values();
        double[] out = new double[in.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = (y * n + x) * 3;
                // OpenCV RGB2GRAY weights
                double gray = 0.299 * in[i] + 0.587 * in[i + 1] + 0.114 * in[i + 2];
                double snow = flakes[y * n + x] + flakes[(n - 1 - y) * n + (n - 1 - x)];
                for (int c = 0; c < 3; c++) {
                    double whitened = blend * in[i + c] + (1 - blend) * Math.max(in[i + c], gray * 1.5 + 0.5);
                    out[i + c] = whitened + snow;
                }
            }
        }
        return new HwcImage(n, n, 3, out);
    }
}
