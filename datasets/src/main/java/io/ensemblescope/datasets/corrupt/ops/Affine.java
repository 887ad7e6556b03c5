package io.ensemblescope.datasets.corrupt.ops;

/** 2×3 affine maps (x' = m0·x + m1·y + m2, y' = m3·x + m4·y + m5) as in OpenCV. */
public final class Affine {
    private Affine() {
    }

    /** {@code cv2.getAffineTransform}: the map taking three source points (x, y) to three destination points. */
    public static double[] fromPoints(double[][] src, double[][] dst) {
        double[] m = new double[6];
        double[][] a = new double[3][];
        for (int i = 0; i < 3; i++) {
            a[i] = new double[] {src[i][0], src[i][1], 1.0};
        }
        double[] px = solve3(a, new double[] {dst[0][0], dst[1][0], dst[2][0]});
        double[] py = solve3(a, new double[] {dst[0][1], dst[1][1], dst[2][1]});
        System.arraycopy(px, 0, m, 0, 3);
        System.arraycopy(py, 0, m, 3, 3);
        return m;
    }

    public static double[] invert(double[] m) {
        double det = m[0] * m[4] - m[1] * m[3];
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("affine map is singular");
        }
        double i0 = m[4] / det;
        double i1 = -m[1] / det;
        double i3 = -m[3] / det;
        double i4 = m[0] / det;
        return new double[] {i0, i1, -(i0 * m[2] + i1 * m[5]), i3, i4, -(i3 * m[2] + i4 * m[5])};
    }

    /** {@code cv2.warpAffine(plane, m, INTER_LINEAR, border)}: dst(x, y) = src(m⁻¹·(x, y)). */
    public static double[] warp(double[] plane, int height, int width, double[] m, Border border) {
        double[] inv = invert(m);
        double[] out = new double[plane.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sx = inv[0] * x + inv[1] * y + inv[2];
                double sy = inv[3] * x + inv[4] * y + inv[5];
                out[y * width + x] = Bilinear.sample(plane, height, width, sy, sx, border);
            }
        }
        return out;
    }

    /** Cramer's rule for a 3×3 system. */
    private static double[] solve3(double[][] a, double[] b) {
        double det = det3(a);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("affine points are collinear");
        }
        double[] x = new double[3];
        for (int col = 0; col < 3; col++) {
            double[][] m = new double[3][3];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] = c == col ? b[r] : a[r][c];
                }
            }
            x[col] = det3(m) / det;
        }
        return x;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
