package io.ensemblescope.datasets.corrupt.digital;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import java.util.SplittableRandom;

/** (x − per-channel mean)·c + mean, c = .75 .5 .4 .3 .15. */
public final class Contrast implements Corruption {
    private static final double[] C = {.75, .5, .4, .3, .15};

    @Override
    public String name() {
        return "contrast";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double c = C[Corruption.level(severity)];
        int ch = image.channels();
        double[] in = image.values();
        double[] mean = new double[ch];
        for (int i = 0; i < in.length; i++) {
            mean[i % ch] += in[i];
        }
        int pixels = in.length / ch;
        for (int k = 0; k < ch; k++) {
            mean[k] /= pixels;
        }
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (in[i] - mean[i % ch]) * c + mean[i % ch];
        }
        return new HwcImage(image.height(), image.width(), ch, out);
    }
}
