package io.ensemblescope.core.routines;

import io.ensemblescope.core.random.SeededRandom;
import io.ensemblescope.datasets.ImageDataset;

/**
 * Gathers a batch of normalized images and labels from a dataset by index, with optional CIFAR augmentation
 * (random crop from a 4-pixel zero-padded image and horizontal flip), drawing from the run's seeded stream.
 */
final class Batcher {
    private static final int PAD = 4;
    private final ImageDataset data;
    private final boolean augment;
    private final float[] scale;
    private final float[] shift;

    Batcher(ImageDataset data, boolean augment) {
        this.data = data;
        this.augment = augment;
        int c = data.channels();
        this.scale = new float[c];
        this.shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = 1f / (255f * data.normalization().std()[i]);
            shift[i] = data.normalization().mean()[i] / data.normalization().std()[i];
        }
    }

    /** Fills x (n×C×H×W) and y (n) from dataset rows {@code order[from..from+n)}. */
    void fill(int[] order, int from, int n, float[] x, int[] y, SeededRandom random) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        byte[] px = data.pixels();
        int per = data.imageBytes();
        for (int b = 0; b < n; b++) {
            int row = order[from + b];
            y[b] = data.label(row);
            int dy = 0;
            int dx = 0;
            boolean flip = false;
            if (augment) {
                dy = random.nextInt(2 * PAD + 1) - PAD;
                dx = random.nextInt(2 * PAD + 1) - PAD;
                flip = random.nextBoolean();
            }
            int src = row * per;
            int dst = b * per;
            for (int ch = 0; ch < c; ch++) {
                for (int yy = 0; yy < h; yy++) {
                    int sy = yy + dy;
                    for (int xx = 0; xx < w; xx++) {
                        int sx = (flip ? w - 1 - xx : xx) + dx;
                        float v = 0f;
                        if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                            v = (px[src + (ch * h + sy) * w + sx] & 0xFF) * scale[ch] - shift[ch];
                        } else {
                            v = -shift[ch]; // zero padding in pixel space
                        }
                        x[dst + (ch * h + yy) * w + xx] = v;
                    }
                }
            }
        }
    }
}
