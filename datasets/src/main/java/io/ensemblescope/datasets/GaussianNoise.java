package io.ensemblescope.datasets;

import java.util.SplittableRandom;

/**
 * {@code gaussian-noise-<std>}: adds N(0, std²) noise in [0, 1] pixel units to every pixel, then clips to [0, 1]
 * and rounds back to 8 bits. Each sample draws from its own generator seeded by (seed, sample index), so results
 * are deterministic and independent of how the split is sliced.
 */
public record GaussianNoise(double std) implements Shift {
    public static final String PREFIX = "gaussian-noise-";

    public GaussianNoise {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("dataset.shift: gaussian noise std must be a finite number >= 0, got "
                    + std);
        }
    }

    static GaussianNoise parse(String argument) {
        return new GaussianNoise(ShiftFactory.number(PREFIX, argument, "a standard deviation in [0,1] pixel units"));
    }

    @Override
    public ImageDataset apply(ImageDataset images, int firstIndex, long seed) {
        byte[] src = images.pixels();
        byte[] out = new byte[src.length];
        int per = images.imageBytes();
        for (int i = 0; i < images.size(); i++) {
            SplittableRandom rng = new SplittableRandom(sampleSeed(seed, firstIndex + i));
            for (int p = i * per; p < (i + 1) * per; p++) {
                double v = (src[p] & 0xFF) / 255.0 + std * rng.nextGaussian();
                out[p] = (byte) Math.round(Math.min(1.0, Math.max(0.0, v)) * 255.0);
            }
        }
        return images.withPixels(images.name(), out);
    }

    /** Mixes seed and index (SplitMix64 finaliser) so neighbouring samples get unrelated streams. */
    private static long sampleSeed(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
