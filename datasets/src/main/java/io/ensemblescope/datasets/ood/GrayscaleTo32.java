package io.ensemblescope.datasets.ood;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.corrupt.ops.Resize;

/**
 * Fallback OOD sets for the CIFAR study when SVHN is absent: 28×28 grayscale MNIST / Fashion-MNIST resized to 32×32
 * (bilinear, pixel-centre aligned) and replicated to 3 channels. Labels are dropped (−1): they are not CIFAR classes.
 */
public final class GrayscaleTo32 {
    public static final String MNIST_NAME = "mnist-32";
    public static final String FASHION_MNIST_NAME = "fashion-mnist-32";
    private static final int SIDE = 32;

    private GrayscaleTo32() {
    }

    public static ImageDataset mnist(ImageDataset mnist) {
        return convert(mnist, MNIST_NAME);
    }

    public static ImageDataset fashionMnist(ImageDataset fashion) {
        return convert(fashion, FASHION_MNIST_NAME);
    }

    /** Any single-channel dataset as an unlabeled 3×32×32 dataset called {@code name}. */
    public static ImageDataset convert(ImageDataset gray, String name) {
        if (gray.channels() != 1) {
            throw new IllegalArgumentException("dataset " + gray.name() + ": expected 1 channel, got "
                    + gray.channels());
        }
        int h = gray.height();
        int w = gray.width();
        int n = gray.size();
        int plane = SIDE * SIDE;
        byte[] out = new byte[n * 3 * plane];
        double[] src = new double[h * w];
        byte[] px = gray.pixels();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < src.length; p++) {
                src[p] = px[i * h * w + p] & 0xFF;
            }
            double[] big = Resize.bilinear(src, h, w, SIDE, SIDE);
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                byte v = (byte) Math.max(0, Math.min(255, Math.rint(big[p])));
                out[base + p] = v;
                out[base + plane + p] = v;
                out[base + 2 * plane + p] = v;
            }
        }
        float m = gray.normalization().mean()[0];
        float s = gray.normalization().std()[0];
        ImageDataset.Normalization norm = new ImageDataset.Normalization(new float[] {m, m, m}, new float[] {s, s, s});
        return new ImageDataset(name, out, gray.labels().clone(), 3, SIDE, SIDE, gray.classNames(), norm)
                .unlabeled(name);
    }
}
