package io.ensemblescope.datasets.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.ImageDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackOodTest {
    private static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @Test
    void grayscale28BecomesRgb32() {
        int n = 2;
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < 28 * 28; i++) {
            px[i] = (byte) 77; // image 0 flat
            px[28 * 28 + i] = (byte) ((i % 28) * 9); // image 1 horizontal ramp
        }
        ImageDataset mnist = new ImageDataset("mnist", px, new int[] {3, 4}, 1, 28, 28, CIFAR,
                new ImageDataset.Normalization(new float[] {0.1307f}, new float[] {0.3081f}));
        ImageDataset out = GrayscaleTo32.mnist(mnist);
        assertEquals("mnist-32", out.name());
        assertEquals("fashion-mnist-32", GrayscaleTo32.fashionMnist(mnist).name());
        assertArrayEquals(new long[] {3, 32, 32}, out.sampleShape());
        assertArrayEquals(new int[] {-1, -1}, out.labels());
        assertFalse(out.labeled());
        assertArrayEquals(new float[] {0.1307f, 0.1307f, 0.1307f}, out.normalization().mean());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(77, out.pixel(0, 1, y, x), "flat stays flat");
                for (int c = 1; c < 3; c++) {
                    assertEquals(out.pixel(1, 0, y, x), out.pixel(1, c, y, x), "channels replicated");
                }
                if (x > 0) {
                    assertTrue(out.pixel(1, 0, y, x) >= out.pixel(1, 0, y, x - 1), "ramp stays monotone");
                }
            }
        }
        assertEquals(0, out.pixel(1, 0, 5, 0));
        assertEquals(27 * 9, out.pixel(1, 0, 5, 31));
        assertThrows(IllegalArgumentException.class, () -> GrayscaleTo32.mnist(out));
    }

    @Test
    void heldOutClassSplitRemapsAndUnlabels() {
        int n = 40;
        byte[] px = new byte[n * 3 * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            px[i * 12] = (byte) i; // image id in the first byte
        }
        ImageDataset cifar = new ImageDataset("cifar10", px, labels, 3, 2, 2, CIFAR,
                ImageDataset.Normalization.unit(3));
        HeldOutClassSplit.Split s = HeldOutClassSplit.cifar10Default(cifar);
        assertEquals("cifar10-in6", s.inDistribution().name());
        assertEquals("cifar10-out4", s.outOfDistribution().name());
        assertEquals(24, s.inDistribution().size());
        assertEquals(16, s.outOfDistribution().size());
        assertEquals(CIFAR.subList(0, 6), s.inDistribution().classNames());
        for (int j = 0; j < 24; j++) {
            int original = s.inDistribution().pixels()[j * 12];
            assertEquals(original % 10, s.inDistribution().label(j));
        }
        assertFalse(s.outOfDistribution().labeled());
        for (int j = 0; j < 16; j++) {
            assertTrue(s.outOfDistribution().pixels()[j * 12] % 10 >= 6);
        }
        HeldOutClassSplit.Split custom = HeldOutClassSplit.split(cifar, new int[] {9, 0});
        assertEquals(List.of("truck", "airplane"), custom.inDistribution().classNames());
        assertEquals(0, custom.inDistribution().label(custom.inDistribution().pixels()[0] == 0 ? 1 : 0));
        assertThrows(IllegalArgumentException.class, () -> HeldOutClassSplit.split(cifar, new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> HeldOutClassSplit.split(cifar, new int[] {10}));
    }
}
