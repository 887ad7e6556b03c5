package io.ensemblescope.datasets.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.npy.Npy;
import io.ensemblescope.testing.SyntheticFrost;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10CGeneratorTest {
    private static final ImageDataset CLEAN = Cifar10CBenchmark.synthetic(24, 3L);

    @Test
    void sameSeedSameBytesAcrossThreadCounts(@TempDir Path tmp) {
        Path frost = SyntheticFrost.write(tmp);
        Cifar10CGenerator one = new Cifar10CGenerator(frost, 1);
        Cifar10CGenerator four = new Cifar10CGenerator(frost, 4);
        for (String c : List.of("gaussian_noise", "glass_blur", "snow", "fog", "frost", "elastic_transform")) {
            ImageDataset a = one.corrupt(CLEAN, c, 5, 42L);
            ImageDataset b = four.corrupt(CLEAN, c, 5, 42L);
            ImageDataset again = four.corrupt(CLEAN, c, 5, 42L);
            ImageDataset other = one.corrupt(CLEAN, c, 5, 43L);
            assertArrayEquals(a.pixels(), b.pixels(), c + ": 1 vs 4 threads");
            assertArrayEquals(b.pixels(), again.pixels(), c + ": rerun");
            assertFalse(Arrays.equals(a.pixels(), other.pixels()), c + ": another seed must differ");
        }
    }

    @Test
    void aSliceGetsTheBytesOfTheSameImagesInTheWholeSplit() {
        Cifar10CGenerator gen = new Cifar10CGenerator(null, 2);
        byte[] whole = gen.corrupt(CLEAN, "shot_noise", 4, 8L).pixels();
        byte[] slice = gen.corrupt(CLEAN.slice(5, 7), 5, "shot_noise", 4, 8L).pixels();
        int per = CLEAN.imageBytes();
        assertArrayEquals(Arrays.copyOfRange(whole, 5 * per, 12 * per), slice);
    }

    @Test
    void shiftFactoryParsesCorruptionAndSeverity() {
        Cifar10CGenerator gen = new Cifar10CGenerator(null, 1);
        var factory = Cifar10CShift.factory(gen);
        ImageDataset viaShift = factory.create("elastic_transform-3").apply(CLEAN.slice(2, 4), 2, 77L);
        assertArrayEquals(gen.corrupt(CLEAN.slice(2, 4), 2, "elastic_transform", 3, 77L).pixels(),
                viaShift.pixels());
        assertThrows(IllegalArgumentException.class, () -> factory.create("elastic_transform-7"));
        assertThrows(IllegalArgumentException.class, () -> factory.create("rain-3"));
        assertThrows(IllegalArgumentException.class, () -> factory.create("fog"));
        assertThrows(IllegalStateException.class, () -> factory.create("frost-2"));
    }

    @Test
    void corruptedDatasetKeepsLabelsShapeAndIsNamed() {
        ImageDataset out = new Cifar10CGenerator(null, 2).corrupt(CLEAN.renamed("cifar10"), "contrast", 5, 1L);
        assertEquals("cifar10-c/contrast-5", out.name());
        assertEquals(CLEAN.size(), out.size());
        assertArrayEquals(CLEAN.labels(), out.labels());
        assertArrayEquals(CLEAN.sampleShape(), out.sampleShape());
        assertFalse(Arrays.equals(CLEAN.pixels(), out.pixels()));
    }

    /** The one test on the reference textures: skipped, saying so, where they are not beside the repository. */
    @Test
    void frostWithTheSharedTexturesBrightensAtFullImageWeight() {
        Cifar10CGenerator gen = new Cifar10CGenerator(SharedFrost.dir(), 2);
        assertTrue(gen.frostUnavailable().isEmpty());
        ImageDataset out = gen.corrupt(CLEAN, "frost", 1, 5L); // a = 1, b = .2: x + .2·frost ≥ x
        int brighter = 0;
        for (int i = 0; i < out.pixels().length; i++) {
            int before = CLEAN.pixels()[i] & 0xFF;
            int after = out.pixels()[i] & 0xFF;
            assertTrue(after >= before, "frost darkened byte " + i);
            brighter += after > before ? 1 : 0;
        }
        assertTrue(brighter > out.pixels().length / 2, "frost brightened only " + brighter);
    }

    @Test
    void withoutFrostDirFrostIsReportedSkipped(@TempDir Path empty) {
        for (Path dir : Arrays.asList(null, empty)) {
            Cifar10CGenerator gen = new Cifar10CGenerator(dir, 1);
            GenerationReport plan = gen.plan(Corruptions.ALL);
            assertEquals(18, plan.generated().size());
            assertTrue(plan.skipped().containsKey("frost"));
            assertFalse(plan.generated().contains("frost"));
            assertThrows(IllegalStateException.class, () -> gen.corrupt(CLEAN, "frost", 1, 0L));
        }
    }

    @Test
    void badArgumentsAreRejectedByName() {
        Cifar10CGenerator gen = new Cifar10CGenerator(null, 1);
        assertThrows(NoSuchElementException.class, () -> gen.corrupt(CLEAN, "rain", 1, 0L));
        IllegalArgumentException sev = assertThrows(IllegalArgumentException.class,
                () -> gen.corrupt(CLEAN, "fog", 6, 0L));
        assertTrue(sev.getMessage().contains("severity"));
        ImageDataset gray = new ImageDataset("mnist", new byte[28 * 28], new int[1], 1, 28, 28, List.of("0"),
                ImageDataset.Normalization.unit(1));
        assertThrows(IllegalArgumentException.class, () -> gen.corrupt(gray, "fog", 1, 0L));
    }

    @Test
    void releasedLayoutRoundTrips(@TempDir Path dir) throws Exception {
        Cifar10CGenerator gen = new Cifar10CGenerator(null, 2);
        ImageDataset clean = CLEAN.slice(0, 6);
        GenerationReport r = Cifar10CRelease.write(gen, clean, dir, List.of("fog", "pixelate", "frost"), 9L);
        assertEquals(List.of("fog", "pixelate"), r.generated());
        assertTrue(r.skipped().containsKey("frost"));
        assertArrayEquals(new long[] {30, 32, 32, 3}, Npy.header(dir.resolve("fog.npy")).shape());
        long[] labels = Npy.readLongs(dir.resolve("labels.npy"));
        assertEquals(30, labels.length);
        assertEquals(clean.label(4), labels[4 * 6 + 4]);
        for (int s = 1; s <= 5; s++) {
            ImageDataset back = Cifar10CRelease.read(dir, "fog", s, clean.classNames(), clean.normalization());
            assertEquals("cifar10-c/fog-" + s, back.name());
            assertArrayEquals(gen.corrupt(clean, "fog", s, 9L).pixels(), back.pixels(), "severity " + s);
            assertArrayEquals(clean.labels(), back.labels());
        }
        assertThrows(NoSuchElementException.class,
                () -> Cifar10CRelease.read(dir, "snow", 1, clean.classNames(), clean.normalization()));
    }

    @Test
    void montageShowsEveryCorruptionScaledByFour(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("m/montage.png");
        GenerationReport r = Montage.write(CLEAN, 2, 5, SyntheticFrost.write(dir.resolve("frost")), png);
        assertEquals(19, r.generated().size());
        BufferedImage img = ImageIO.read(png.toFile());
        int tiles = 20;
        int rows = (tiles + Montage.COLUMNS - 1) / Montage.COLUMNS;
        assertEquals(Montage.COLUMNS * (128 + 4) + 4, img.getWidth());
        assertEquals(rows * (128 + 16 + 4) + 4, img.getHeight());
        // the first tile is the clean image, each source pixel a 4×4 block
        for (int y : new int[] {0, 13, 31}) {
            for (int x : new int[] {0, 7, 31}) {
                int rgb = img.getRGB(4 + x * 4 + 3, 4 + y * 4 + 1) & 0xFFFFFF;
                int expected = (CLEAN.pixel(2, 0, y, x) << 16) | (CLEAN.pixel(2, 1, y, x) << 8) | CLEAN.pixel(2, 2, y, x);
                assertEquals(expected, rgb, "clean tile at " + y + "," + x);
            }
        }
    }
}
