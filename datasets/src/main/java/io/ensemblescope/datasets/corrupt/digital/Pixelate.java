package io.ensemblescope.datasets.corrupt.digital;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Resize;
import io.ensemblescope.datasets.corrupt.ops.Rgb8;
import java.util.SplittableRandom;

/** Pillow BOX resize to int(n·c) and back to n, c = .95 .9 .85 .75 .65 (32 → 30 28 27 24 20). */
public final class Pixelate implements Corruption {
    private static final double[] C = {.95, .9, .85, .75, .65};

    @Override
    public String name() {
        return "pixelate";
    }

    /** The intermediate side length for a side n at a severity. */
    public static int reducedSize(int n, int severity) {
        return (int) (n * C[Corruption.level(severity)]);
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        int h = image.height();
        int w = image.width();
        int sh = reducedSize(h, severity);
        int sw = reducedSize(w, severity);
        HwcImage out = HwcImage.zeros(h, w, image.channels());
        for (int c = 0; c < image.channels(); c++) {
            double[] small = Resize.pillowBox(Rgb8.plane255(image, c), h, w, sh, sw);
            double[] back = Resize.pillowBox(small, sh, sw, h, w);
            for (int i = 0; i < back.length; i++) {
                back[i] /= 255.0;
            }
            out.setPlane(c, back);
        }
        return out;
    }
}
