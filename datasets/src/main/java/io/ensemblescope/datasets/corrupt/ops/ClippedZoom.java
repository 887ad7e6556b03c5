package io.ensemblescope.datasets.corrupt.ops;

/**
 * The reference's {@code clipped_zoom}: crop the centre {@code ceil(n / z)} square, zoom it by z with
 * {@code scipy.ndimage.zoom(order=1)} (output size {@code round(ch·z)}, corner-aligned sample grid), trim the centre
 * n×n. Note SciPy's corner alignment makes small zooms (e.g. 32·1.01) an exact identity.
 */
public final class ClippedZoom {
    private ClippedZoom() {
    }

    public static double[] apply(double[] plane, int size, double zoom) {
        if (!(zoom >= 1.0)) {
            throw new IllegalArgumentException("zoom must be >= 1, got " + zoom);
        }
        int crop = (int) Math.ceil(size / zoom);
        int top = (size - crop) / 2;
        int zoomed = (int) Math.rint(crop * zoom); // Python's round(): half to even
        int trim = Math.max(0, (zoomed - size) / 2);
        double step = zoomed > 1 ? (crop - 1.0) / (zoomed - 1.0) : 0.0;
        int[] i0 = new int[size];
        int[] i1 = new int[size];
        double[] frac = new double[size];
        for (int o = 0; o < size; o++) {
            double coord = Math.min((o + trim) * step, crop - 1.0);
            int lo = (int) Math.floor(coord);
            i0[o] = top + lo;
            i1[o] = top + Math.min(lo + 1, crop - 1);
            frac[o] = coord - lo;
        }
        double[] out = new double[size * size];
        for (int y = 0; y < size; y++) {
            double fy = frac[y];
            int r0 = i0[y] * size;
            int r1 = i1[y] * size;
            for (int x = 0; x < size; x++) {
                double fx = frac[x];
                double a = plane[r0 + i0[x]] * (1 - fx) + plane[r0 + i1[x]] * fx;
                double b = plane[r1 + i0[x]] * (1 - fx) + plane[r1 + i1[x]] * fx;
                out[y * size + x] = a * (1 - fy) + b * fy;
            }
        }
        return out;
    }
}
