package io.ensemblescope.datasets.corrupt.ops;

/** OpenCV's {@code equalizeHist} on an 8-bit plane (lowest occupied level → 0, cumulative counts scaled to 255). */
public final class HistogramEqualization {
    private HistogramEqualization() {
    }

    public static int[] equalize(int[] plane8) {
        int[] hist = new int[256];
        for (int v : plane8) {
            hist[v]++;
        }
        int first = 0;
        while (hist[first] == 0) {
            first++;
        }
        int total = plane8.length;
        int[] lut = new int[256];
        if (hist[first] == total) {
            java.util.Arrays.fill(lut, first);
        } else {
            double scale = 255.0 / (total - hist[first]);
            int sum = 0;
            for (int i = first + 1; i < 256; i++) {
                sum += hist[i];
                lut[i] = (int) Math.min(255, Math.rint(sum * scale));
            }
        }
        int[] out = new int[plane8.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lut[plane8[i]];
        }
        return out;
    }
}
