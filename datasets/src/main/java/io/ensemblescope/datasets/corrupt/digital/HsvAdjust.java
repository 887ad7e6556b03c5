package io.ensemblescope.datasets.corrupt.digital;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Hsv;
import java.util.SplittableRandom;

/** One HSV channel mapped to clip(v·scale + shift, 0, 1): brightness (V + c) and saturate (S·a + b). */
public final class HsvAdjust implements Corruption {
    private static final int SATURATION = 1;
    private static final int VALUE = 2;

    private final String name;
    private final int channel;
    private final double[] scale;
    private final double[] shift;

    private HsvAdjust(String name, int channel, double[] scale, double[] shift) {
        this.name = name;
        this.channel = channel;
        this.scale = scale;
        this.shift = shift;
    }

    /** V += c, c = .05 .1 .15 .2 .3. */
    public static HsvAdjust brightness() {
        return new HsvAdjust("brightness", VALUE, new double[] {1, 1, 1, 1, 1}, new double[] {.05, .1, .15, .2, .3});
    }

    /** S = S·a + b, (a, b) = (.3,0) (.1,0) (1.5,0) (2,.1) (2.5,.2) (extra corruption). */
    public static HsvAdjust saturate() {
        return new HsvAdjust("saturate", SATURATION, new double[] {.3, .1, 1.5, 2, 2.5}, new double[] {0, 0, 0, .1, .2});
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        int s = Corruption.level(severity);
        HwcImage hsv = Hsv.fromRgb(image);
        double[] v = hsv.values();
        for (int i = channel; i < v.length; i += 3) {
            v[i] = Math.max(0, Math.min(1, v[i] * scale[s] + shift[s]));
        }
        return Hsv.toRgb(hsv);
    }
}
