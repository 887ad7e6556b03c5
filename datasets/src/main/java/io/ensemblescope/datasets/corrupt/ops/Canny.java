package io.ensemblescope.datasets.corrupt.ops;

import java.util.ArrayDeque;

/**
 * OpenCV's {@code Canny(image, low, high)} defaults on an 8-bit plane: 3×3 Sobel (replicated border), L1 magnitude,
 * non-maximum suppression in four direction bins (tan 22.5° / 67.5° split), hysteresis over 8-neighbours.
 */
public final class Canny {
    private static final double TAN_22_5 = 0.41421356237309503;
    private static final double TAN_67_5 = 2.414213562373095;

    private Canny() {
    }

    /** Returns an H×W mask with 255 on edges and 0 elsewhere. */
    public static int[] edges(int[] plane8, int height, int width, double low, double high) {
        int n = height * width;
        int[] dx = new int[n];
        int[] dy = new int[n];
        int[] mag = new int[n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int gx = 0;
                int gy = 0;
                for (int k = -1; k <= 1; k++) {
                    int weight = k == 0 ? 2 : 1;
                    gx += weight * (at(plane8, height, width, y + k, x + 1) - at(plane8, height, width, y + k, x - 1));
                    gy += weight * (at(plane8, height, width, y + 1, x + k) - at(plane8, height, width, y - 1, x + k));
                }
                int i = y * width + x;
                dx[i] = gx;
                dy[i] = gy;
                mag[i] = Math.abs(gx) + Math.abs(gy);
            }
        }
        // 0 = suppressed, 1 = weak candidate, 2 = strong
        int[] state = new int[n];
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int m = mag[i];
                if (m <= low || !isLocalMax(mag, height, width, y, x, dx[i], dy[i])) {
                    continue;
                }
                if (m > high) {
                    state[i] = 2;
                    stack.push(i);
                } else {
                    state[i] = 1;
                }
            }
        }
        while (!stack.isEmpty()) {
            int i = stack.pop();
            int y = i / width;
            int x = i % width;
            for (int ny = y - 1; ny <= y + 1; ny++) {
                for (int nx = x - 1; nx <= x + 1; nx++) {
                    if (ny >= 0 && ny < height && nx >= 0 && nx < width && state[ny * width + nx] == 1) {
                        state[ny * width + nx] = 2;
                        stack.push(ny * width + nx);
                    }
                }
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = state[i] == 2 ? 255 : 0;
        }
        return out;
    }

    private static boolean isLocalMax(int[] mag, int h, int w, int y, int x, int gx, int gy) {
        int m = mag[y * w + x];
        double ax = Math.abs(gx);
        double ay = Math.abs(gy);
        if (ay < ax * TAN_22_5) {
            return m > magAt(mag, h, w, y, x - 1) && m >= magAt(mag, h, w, y, x + 1);
        }
        if (ay > ax * TAN_67_5) {
            return m > magAt(mag, h, w, y - 1, x) && m >= magAt(mag, h, w, y + 1, x);
        }
        int s = (gx ^ gy) < 0 ? -1 : 1;
        return m > magAt(mag, h, w, y - 1, x - s) && m > magAt(mag, h, w, y + 1, x + s);
    }

    private static int magAt(int[] mag, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0 : mag[y * w + x];
    }

    private static int at(int[] plane, int h, int w, int y, int x) {
        return plane[Border.NEAREST.index(y, h) * w + Border.NEAREST.index(x, w)];
    }
}
