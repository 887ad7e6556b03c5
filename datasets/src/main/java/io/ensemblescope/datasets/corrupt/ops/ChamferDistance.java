package io.ensemblescope.datasets.corrupt.ops;

/**
 * OpenCV's {@code distanceTransform(src, DIST_L2, 5)}: distance from each non-zero pixel to the nearest zero pixel,
 * by the two-pass 5×5 chamfer with weights 1, 1.4 and 2.1969 (OpenCV's constants for this mask).
 */
public final class ChamferDistance {
    private static final double A = 1.0;
    private static final double B = 1.4;
    private static final double C = 2.1969;
    /** Offsets (dy, dx, weight) of the causal half of the mask; the other half is its mirror. */
    private static final double[][] FORWARD = {
        {0, -1, A}, {-1, -1, B}, {-1, 0, A}, {-1, 1, B}, {-1, -2, C}, {-1, 2, C}, {-2, -1, C}, {-2, 1, C}};
    /** Large finite stand-in for "no zero pixel reachable". */
    private static final double FAR = 1e6;

    private ChamferDistance() {
    }

    public static double[] transform(int[] plane8, int height, int width) {
        double[] d = new double[plane8.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = plane8[i] == 0 ? 0 : FAR;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                relax(d, height, width, y, x, 1);
            }
        }
        for (int y = height - 1; y >= 0; y--) {
            for (int x = width - 1; x >= 0; x--) {
                relax(d, height, width, y, x, -1);
            }
        }
        return d;
    }

    private static void relax(double[] d, int h, int w, int y, int x, int sign) {
        int i = y * w + x;
        if (d[i] == 0) {
            return;
        }
        double best = d[i];
        for (double[] o : FORWARD) {
            int ny = y + sign * (int) o[0];
            int nx = x + sign * (int) o[1];
            if (ny >= 0 && ny < h && nx >= 0 && nx < w) {
                best = Math.min(best, d[ny * w + nx] + o[2]);
            }
        }
        d[i] = best;
    }
}
