package io.ensemblescope.datasets.corrupt.ops;

/** How an index outside 0..n-1 maps back inside; names follow SciPy / OpenCV. */
public enum Border {
    /** Edge clamp: aaa|abcd|ddd (scipy "nearest", OpenCV BORDER_REPLICATE, ImageMagick edge virtual pixels). */
    NEAREST,
    /** Half-sample symmetric: cba|abcd|dcb (scipy "reflect", OpenCV BORDER_REFLECT). */
    REFLECT,
    /** Whole-sample symmetric: dcb|abcd|cba (OpenCV BORDER_REFLECT_101, its default; scipy "mirror"). */
    REFLECT_101;

    public int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (this) {
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            default: {
                if (n == 1) {
                    return 0;
                }
                int period = 2 * n - 2;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - m;
            }
        }
    }
}
