package io.ensemblescope.datasets.corrupt.ops;

/** Correlation of an H×W plane with a separable, centred kernel (rows then columns). */
public final class SeparableFilter {
    private SeparableFilter() {
    }

    public static double[] apply(double[] plane, int height, int width, double[] kernel, Border border) {
        return apply(plane, height, width, kernel, kernel, border);
    }

    public static double[] apply(double[] plane, int height, int width, double[] kx, double[] ky, Border border) {
        double[] tmp = new double[plane.length];
        int rx = kx.length / 2;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int k = 0; k < kx.length; k++) {
                    s += kx[k] * plane[row + border.index(x + k - rx, width)];
                }
                tmp[row + x] = s;
            }
        }
        double[] out = new double[plane.length];
        int ry = ky.length / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int k = 0; k < ky.length; k++) {
                    s += ky[k] * tmp[border.index(y + k - ry, height) * width + x];
                }
                out[y * width + x] = s;
            }
        }
        return out;
    }

    /** {@code skimage.filters.gaussian}: SciPy Gaussian, truncate 4 unless given, per plane. */
    public static double[] gaussian(double[] plane, int height, int width, double sigma, double truncate, Border border) {
        double[] k = GaussianKernel.scipy(sigma, truncate);
        return k.length == 1 ? plane.clone() : apply(plane, height, width, k, border);
    }

    /** OpenCV {@code blur(src, (n, n))}: normalised box, BORDER_REFLECT_101. */
    public static double[] box(double[] plane, int height, int width, int n) {
        double[] k = new double[n];
        java.util.Arrays.fill(k, 1.0 / n);
        return apply(plane, height, width, k, Border.REFLECT_101);
    }
}
