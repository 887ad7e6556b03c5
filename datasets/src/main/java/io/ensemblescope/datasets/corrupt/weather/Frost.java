package io.ensemblescope.datasets.corrupt.weather;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Rgb8;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Frost: in 0..255, a·x + b·(random crop of a random frost texture). (a, b) = (1,.2) (1,.3) (.9,.4) (.85,.4)
 * (.75,.45).
 */
public final class Frost implements Corruption {
    private static final double[][] PARAMS = {{1, .2}, {1, .3}, {.9, .4}, {.85, .4}, {.75, .45}};

    private final FrostTextures textures;

    public Frost(FrostTextures textures) {
        this.textures = Objects.requireNonNull(textures, "textures");
    }

    @Override
    public String name() {
        return "frost";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double[] p = PARAMS[Corruption.level(severity)];
        FrostTextures.Texture t = textures.get(rng.nextInt(textures.count()));
        int h = image.height();
        int w = image.width();
        if (t.height() <= h || t.width() <= w || image.channels() != 3) {
            throw new IllegalArgumentException("frost: texture " + t.height() + "x" + t.width()
                    + " too small for a " + h + "x" + w + " RGB image");
        }
        int top = rng.nextInt(t.height() - h);
        int left = rng.nextInt(t.width() - w);
        double[] in = image.values();
        double[] out = new double[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * w + x) * 3 + c;
                    out[i] = (p[0] * Rgb8.level(in[i]) + p[1] * t.at(top + y, left + x, c)) / 255.0;
                }
            }
        }
        return new HwcImage(h, w, 3, out);
    }
}
