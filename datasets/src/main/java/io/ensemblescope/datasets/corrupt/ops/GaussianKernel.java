package io.ensemblescope.datasets.corrupt.ops;

/** Normalised, symmetric 1-D Gaussian weights (centre at index radius). */
public final class GaussianKernel {
    private GaussianKernel() {
    }

    /** SciPy's {@code gaussian_filter1d} kernel: radius {@code int(truncate·sigma + 0.5)}; sigma ≈ 0 gives [1]. */
    public static double[] scipy(double sigma, double truncate) {
        if (sigma < 0) {
            throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
        }
        if (sigma <= 1e-15) {
            return new double[] {1.0};
        }
        return ofRadius((int) (truncate * sigma + 0.5), sigma);
    }

    /** OpenCV's {@code getGaussianKernel(ksize, sigma)} for an odd ksize and sigma > 0. */
    public static double[] opencv(int ksize, double sigma) {
        if (ksize % 2 == 0 || ksize <= 0 || sigma <= 0) {
            throw new IllegalArgumentException("ksize must be odd and sigma > 0, got " + ksize + ", " + sigma);
        }
        return ofRadius(ksize / 2, sigma);
    }

    private static double[] ofRadius(int radius, double sigma) {
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }
}
