package io.ensemblescope.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in shifts, through the catalog on real MNIST and on constructed images with a known answer. */
class ShiftTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();
    private static final DatasetRequest FIRST_FOUR = DatasetRequest.of("mnist", Subset.TEST).withSlice(0, 4);

    @Test
    void rotateZeroIsIdentity() {
        ImageDataset plain = CATALOG.load(FIRST_FOUR);
        ImageDataset rotated = CATALOG.load(FIRST_FOUR.withShift("rotate-0", 0));
        assertArrayEquals(plain.pixels(), rotated.pixels());
        assertEquals("mnist-test+rotate-0", rotated.name());
    }

    @Test
    void rotateNinetyTurnsEveryPixelCounterClockwise() {
        ImageDataset plain = CATALOG.load(FIRST_FOUR);
        ImageDataset rotated = CATALOG.load(FIRST_FOUR.withShift("rotate-90", 0));
        int n = plain.width();
        for (int i = 0; i < plain.size(); i++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // Counter-clockwise: the right edge becomes the top edge.
                    assertEquals(plain.pixel(i, 0, x, n - 1 - y), rotated.pixel(i, 0, y, x),
                            "image " + i + " at (" + y + "," + x + ")");
                }
            }
        }
    }

    @Test
    void rotateNinetyMovesAKnownPixel() {
        byte[] px = new byte[3 * 4 * 4];
        px[1] = (byte) 200; // channel 0, y=0, x=1
        ImageDataset one = image(px, 3, 4, 4);
        ImageDataset turned = new Rotation(90).apply(one, 0, 0);
        assertEquals(200, turned.pixel(0, 0, 2, 0)); // (y=0, x=1) → (y=W-1-x=2, x=0)
        assertEquals(200, Arrays.stream(toInts(turned.pixels())).sum());
        ImageDataset back = new Rotation(-90).apply(turned, 0, 0);
        assertArrayEquals(px, back.pixels());
    }

    @Test
    void rotatingByFortyFiveBlendsAndFillsCornersWithZero() {
        byte[] px = new byte[16 * 16];
        Arrays.fill(px, (byte) 100);
        ImageDataset turned = new Rotation(45).apply(image(px, 1, 16, 16), 0, 0);
        assertEquals(0, turned.pixel(0, 0, 0, 0));
        assertEquals(100, turned.pixel(0, 0, 8, 8));
    }

    @Test
    void gaussianNoiseIsSeededAndIndependentOfSlicing() {
        DatasetRequest noisy = FIRST_FOUR.withShift("gaussian-noise-0.2", 7);
        ImageDataset a = CATALOG.load(noisy);
        ImageDataset b = CATALOG.load(noisy);
        ImageDataset otherSeed = CATALOG.load(FIRST_FOUR.withShift("gaussian-noise-0.2", 8));
        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(Arrays.equals(a.pixels(), otherSeed.pixels()));
        ImageDataset lastTwo = CATALOG.load(noisy.withSlice(2, 2));
        int per = a.imageBytes();
        assertArrayEquals(Arrays.copyOfRange(a.pixels(), 2 * per, 4 * per), lastTwo.pixels());
    }

    @Test
    void gaussianNoiseHasTheRequestedStdOnMidGray() {
        double std = 0.1;
        byte[] px = new byte[8 * 64 * 64];
        Arrays.fill(px, (byte) 128);
        ImageDataset noisy = new GaussianNoise(std).apply(image(px, 1, 64, 64), 0, 42);
        double sum = 0;
        double sumSq = 0;
        for (byte v : noisy.pixels()) {
            double r = ((v & 0xFF) - 128) / 255.0;
            sum += r;
            sumSq += r * r;
        }
        int n = noisy.pixels().length;
        double mean = sum / n;
        // 32768 draws: the sample std is within ~0.4% of the truth; rounding to 8 bits adds ~1e-6 of variance.
        assertEquals(0.0, mean, 0.003);
        assertEquals(std, Math.sqrt(sumSq / n - mean * mean), 0.003);
    }

    private static ImageDataset image(byte[] px, int channels, int h, int w) {
        int count = px.length / (channels * h * w);
        return new ImageDataset("constructed", px, new int[count], channels, h, w, List.of("a"),
                ImageDataset.Normalization.unit(channels));
    }

    private static int[] toInts(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}
