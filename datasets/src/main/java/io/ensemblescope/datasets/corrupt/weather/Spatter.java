package io.ensemblescope.datasets.corrupt.weather;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Border;
import io.ensemblescope.datasets.corrupt.ops.Canny;
import io.ensemblescope.datasets.corrupt.ops.ChamferDistance;
import io.ensemblescope.datasets.corrupt.ops.HistogramEqualization;
import io.ensemblescope.datasets.corrupt.ops.Kernel2D;
import io.ensemblescope.datasets.corrupt.ops.SeparableFilter;
import java.util.SplittableRandom;

/**
 * Spatter (extra corruption): a liquid layer N(loc, scale), Gaussian-smoothed and thresholded, becomes pale-turquoise
 * water drops with embossed rims (severities 1–3) or opaque mud splashes (severities 4–5).
 */
public final class Spatter implements Corruption {
    /** (loc, scale, sigma, threshold, intensity, mud?) per severity. */
    private static final double[][] PARAMS = {
        {.62, .1, .7, .7, .5, 0},
        {.65, .1, .8, .7, .5, 0},
        {.65, .3, 1, .69, .5, 0},
        {.65, .1, .7, .69, .6, 1},
        {.65, .1, .5, .68, .6, 1}};
    private static final double[] WATER = {175 / 255.0, 238 / 255.0, 238 / 255.0};
    private static final double[] MUD = {63 / 255.0, 42 / 255.0, 20 / 255.0};
    /** The reference's emboss kernel for drop rims. */
    private static final Kernel2D EMBOSS = Kernel2D.centred(new double[] {-2, -1, 0, -1, 1, 1, 0, 1, 2}, 3);
    private static final double MAX_RIM_DISTANCE = 20;

    @Override
    public String name() {
        return "spatter";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        double[] p = PARAMS[Corruption.level(severity)];
        int h = image.height();
        int w = image.width();
        double[] liquid = new double[h * w];
        for (int i = 0; i < liquid.length; i++) {
            liquid[i] = p[0] + p[1] * rng.nextGaussian();
        }
        liquid = SeparableFilter.gaussian(liquid, h, w, p[2], 4.0, Border.NEAREST);
        for (int i = 0; i < liquid.length; i++) {
            if (liquid[i] < p[3]) {
                liquid[i] = 0;
            }
        }
        return p[5] == 0 ? water(image, liquid, p[4]) : mud(image, liquid, p[3], p[4]);
    }

    private static HwcImage water(HwcImage image, double[] liquid, double intensity) {
        int h = image.height();
        int w = image.width();
        int[] liquid8 = new int[liquid.length];
        for (int i = 0; i < liquid.length; i++) {
            liquid8[i] = ((int) (liquid[i] * 255)) & 0xFF; // np.astype(uint8) wraps values above 1
        }
        int[] edges = Canny.edges(liquid8, h, w, 50, 150);
        int[] notEdges = new int[edges.length];
        for (int i = 0; i < edges.length; i++) {
            notEdges[i] = 255 - edges[i];
        }
        double[] dist = ChamferDistance.transform(notEdges, h, w);
        for (int i = 0; i < dist.length; i++) {
            dist[i] = Math.min(dist[i], MAX_RIM_DISTANCE);
        }
        dist = SeparableFilter.box(dist, h, w, 3);
        int[] dist8 = new int[dist.length];
        for (int i = 0; i < dist.length; i++) {
            dist8[i] = (int) dist[i];
        }
        int[] equalized = HistogramEqualization.equalize(dist8);
        double[] eq = new double[equalized.length];
        for (int i = 0; i < eq.length; i++) {
            eq[i] = equalized[i];
        }
        double[] embossed = EMBOSS.correlate(eq, h, w, Border.REFLECT_101);
        for (int i = 0; i < embossed.length; i++) {
            embossed[i] = Math.max(0, Math.min(255, Math.rint(embossed[i]))); // filter2D into CV_8U saturates
        }
        double[] rims = SeparableFilter.box(embossed, h, w, 3);
        double[] m = new double[rims.length];
        double max = 0;
        for (int i = 0; i < m.length; i++) {
            m[i] = liquid8[i] * rims[i];
            max = Math.max(max, m[i]);
        }
        double[] in = image.values();
        double[] out = in.clone();
        if (max > 0) { // the reference divides by zero here (NaN → 0 after the cast); leaving the image is kinder
            for (int i = 0; i < m.length; i++) {
                double alpha = m[i] / max * intensity;
                for (int c = 0; c < 3; c++) {
                    out[i * 3 + c] = in[i * 3 + c] + alpha * WATER[c];
                }
            }
        }
        return new HwcImage(h, w, 3, out);
    }

    private static HwcImage mud(HwcImage image, double[] liquid, double threshold, double sigma) {
        int h = image.height();
        int w = image.width();
        double[] mask = new double[liquid.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = liquid[i] > threshold ? 1 : 0;
        }
        mask = SeparableFilter.gaussian(mask, h, w, sigma, 4.0, Border.NEAREST);
        double[] in = image.values();
        double[] out = new double[in.length];
        for (int i = 0; i < mask.length; i++) {
            double m = mask[i] < 0.8 ? 0 : mask[i];
            for (int c = 0; c < 3; c++) {
                out[i * 3 + c] = in[i * 3 + c] * (1 - m) + MUD[c] * m;
            }
        }
        return new HwcImage(h, w, 3, out);
    }
}
