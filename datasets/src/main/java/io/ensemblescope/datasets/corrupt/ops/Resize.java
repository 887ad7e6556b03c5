package io.ensemblescope.datasets.corrupt.ops;

/** Image resizing of one H×W plane. */
public final class Resize {
    private Resize() {
    }

    /**
     * Bilinear with pixel-centre alignment and edge clamping, as OpenCV's INTER_LINEAR (no antialiasing when
     * shrinking) — used for the frost texture (cv2.resize) and the 28→32 fallback OOD images.
     */
    public static double[] bilinear(double[] plane, int height, int width, int outHeight, int outWidth) {
        return bilinear(plane, height, width, outHeight, outWidth, (double) height / outHeight,
                (double) width / outWidth);
    }

    /**
     * Bilinear with explicit source steps per output pixel ({@code cv2.resize(fx, fy)} maps with 1/fx even when the
     * output size was rounded).
     */
    public static double[] bilinear(double[] plane, int height, int width, int outHeight, int outWidth, double sy,
                                    double sx) {
        double[] out = new double[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            double cy = clamp((y + 0.5) * sy - 0.5, height - 1);
            int y0 = (int) cy;
            int y1 = Math.min(y0 + 1, height - 1);
            double fy = cy - y0;
            for (int x = 0; x < outWidth; x++) {
                double cx = clamp((x + 0.5) * sx - 0.5, width - 1);
                int x0 = (int) cx;
                int x1 = Math.min(x0 + 1, width - 1);
                double fx = cx - x0;
                double top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx;
                double bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx;
                out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return out;
    }

    /**
     * Pillow's {@code Image.resize(..., BOX)} on 8-bit values: horizontal pass, round to uint8, vertical pass, round.
     * Output pixel o averages the input pixels whose centres fall in (o·s, (o+1)·s], s = in/out (at least one pixel).
     */
    public static double[] pillowBox(double[] plane8, int height, int width, int outHeight, int outWidth) {
        double[][] wx = boxWeights(width, outWidth);
        int[] x0 = boxStarts(width, outWidth);
        double[] tmp = new double[height * outWidth];
        for (int y = 0; y < height; y++) {
            for (int o = 0; o < outWidth; o++) {
                double s = 0;
                for (int k = 0; k < wx[o].length; k++) {
                    s += wx[o][k] * plane8[y * width + x0[o] + k];
                }
                tmp[y * outWidth + o] = roundToUint8(s);
            }
        }
        double[][] wy = boxWeights(height, outHeight);
        int[] y0 = boxStarts(height, outHeight);
        double[] out = new double[outHeight * outWidth];
        for (int o = 0; o < outHeight; o++) {
            for (int x = 0; x < outWidth; x++) {
                double s = 0;
                for (int k = 0; k < wy[o].length; k++) {
                    s += wy[o][k] * tmp[(y0[o] + k) * outWidth + x];
                }
                out[o * outWidth + x] = roundToUint8(s);
            }
        }
        return out;
    }

    private static int[] boxStarts(int in, int out) {
        int[] starts = new int[out];
        double scale = (double) in / out;
        double support = 0.5 * Math.max(scale, 1.0);
        for (int o = 0; o < out; o++) {
            starts[o] = Math.max((int) ((o + 0.5) * scale - support + 0.5), 0);
        }
        return starts;
    }

    private static double[][] boxWeights(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = 0.5 * filterScale;
        int[] starts = boxStarts(in, out);
        double[][] weights = new double[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int end = Math.min((int) (centre + support + 0.5), in);
            double[] w = new double[Math.max(end - starts[o], 0)];
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                double t = (starts[o] + k - centre + 0.5) / filterScale;
                w[k] = t > -0.5 && t <= 0.5 ? 1.0 : 0.0;
                sum += w[k];
            }
            for (int k = 0; k < w.length && sum != 0; k++) {
                w[k] /= sum;
            }
            weights[o] = w;
        }
        return weights;
    }

    private static double roundToUint8(double v) {
        return Math.max(0, Math.min(255, Math.floor(v + 0.5)));
    }

    private static double clamp(double v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
