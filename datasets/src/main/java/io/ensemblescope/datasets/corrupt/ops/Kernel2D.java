package io.ensemblescope.datasets.corrupt.ops;

/**
 * A dense 2-D correlation kernel with its anchor (the tap aligned with the output pixel), as OpenCV's filter2D uses.
 */
public record Kernel2D(double[] weights, int rows, int cols, int anchorY, int anchorX) {
    public Kernel2D {
        if (weights.length != rows * cols) {
            throw new IllegalArgumentException("kernel: " + weights.length + " weights for " + rows + "x" + cols);
        }
    }

    public static Kernel2D centred(double[] weights, int size) {
        return new Kernel2D(weights, size, size, size / 2, size / 2);
    }

    public double at(int r, int c) {
        return weights[r * cols + c];
    }

    /** The same filter without all-zero outer rows/columns (a big disk kernel is mostly zeros; this saves work). */
    public Kernel2D trimmed() {
        int top = 0;
        int bottom = rows - 1;
        int left = 0;
        int right = cols - 1;
        while (top < bottom && rowZero(top)) {
            top++;
        }
        while (bottom > top && rowZero(bottom)) {
            bottom--;
        }
        while (left < right && colZero(left, top, bottom)) {
            left++;
        }
        while (right > left && colZero(right, top, bottom)) {
            right--;
        }
        int nr = bottom - top + 1;
        int nc = right - left + 1;
        double[] w = new double[nr * nc];
        for (int r = 0; r < nr; r++) {
            System.arraycopy(weights, (r + top) * cols + left, w, r * nc, nc);
        }
        return new Kernel2D(w, nr, nc, anchorY - top, anchorX - left);
    }

    /** OpenCV filter2D (correlation) of an H×W plane. */
    public double[] correlate(double[] plane, int height, int width, Border border) {
        double[] out = new double[plane.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    int row = border.index(y + r - anchorY, height) * width;
                    for (int c = 0; c < cols; c++) {
                        s += weights[r * cols + c] * plane[row + border.index(x + c - anchorX, width)];
                    }
                }
                out[y * width + x] = s;
            }
        }
        return out;
    }

    private boolean rowZero(int r) {
        for (int c = 0; c < cols; c++) {
            if (weights[r * cols + c] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean colZero(int c, int top, int bottom) {
        for (int r = top; r <= bottom; r++) {
            if (weights[r * cols + c] != 0) {
                return false;
            }
        }
        return true;
    }
}
