package io.ensemblescope.datasets.corrupt.ops;

/** Bilinear sampling of an H×W plane at a real (y, x) position. */
public final class Bilinear {
    private Bilinear() {
    }

    /** OpenCV remap/warpAffine style: neighbour indices outside the plane map through {@code border}. */
    public static double sample(double[] plane, int height, int width, double y, double x, Border border) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        int r0 = border.index(y0, height) * width;
        int r1 = border.index(y0 + 1, height) * width;
        int c0 = border.index(x0, width);
        int c1 = border.index(x0 + 1, width);
        double top = plane[r0 + c0] * (1 - fx) + plane[r0 + c1] * fx;
        double bottom = plane[r1 + c0] * (1 - fx) + plane[r1 + c1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /**
     * {@code scipy.ndimage.map_coordinates(order=1, mode='reflect')}: the coordinate is first folded into
     * [−½, n−½) by half-sample reflection, then interpolated with reflected neighbours.
     */
    public static double sampleReflect(double[] plane, int height, int width, double y, double x) {
        return sample(plane, height, width, fold(y, height), fold(x, width), Border.REFLECT);
    }

    private static double fold(double c, int n) {
        double period = 2.0 * n;
        double m = (c + 0.5) % period;
        if (m < 0) {
            m += period;
        }
        m -= 0.5;
        return m < n - 0.5 ? m : period - 1 - m;
    }
}
