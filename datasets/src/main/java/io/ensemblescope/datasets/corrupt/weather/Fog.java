package io.ensemblescope.datasets.corrupt.weather;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.PlasmaFractal;
import java.util.SplittableRandom;

/**
 * Fog: x + c·plasma (diamond-square map, wibble decay d), rescaled by max/(max + c) where max is the clean image's
 * maximum. (c, d) = (.2,3) (.5,3) (.75,2.5) (1,2) (1.5,1.75).
 */
public final class Fog implements Corruption {
    private static final double[][] PARAMS = {{.2, 3}, {.5, 3}, {.75, 2.5}, {1, 2}, {1.5, 1.75}};

    @Override
    public String name() {
        return "fog";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double[] p = PARAMS[Corruption.level(severity)];
        int h = image.height();
        int w = image.width();
        int ch = image.channels();
        int mapSize = Integer.highestOneBit(Math.max(Math.max(h, w), 2) - 1) << 1; // 32 for CIFAR
        double[] plasma = PlasmaFractal.generate(mapSize, p[1], rng);
        double[] in = image.values();
        double max = 0;
        for (double v : in) {
            max = Math.max(max, v);
        }
        double scale = max / (max + p[0]);
        double[] out = new double[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fog = p[0] * plasma[y * mapSize + x];
                for (int c = 0; c < ch; c++) {
                    int i = (y * w + x) * ch + c;
                    out[i] = (in[i] + fog) * scale;
                }
            }
        }
        return new HwcImage(h, w, ch, out);
    }
}
