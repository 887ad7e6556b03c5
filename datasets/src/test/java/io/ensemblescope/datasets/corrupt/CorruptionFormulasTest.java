package io.ensemblescope.datasets.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.corrupt.blur.GlassBlur;
import io.ensemblescope.datasets.corrupt.blur.ZoomBlur;
import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.MagickMotionBlur;
import io.ensemblescope.testing.SyntheticFrost;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptionFormulasTest {
    private static final int SIDE = 32;
    private static final int PLANE = SIDE * SIDE;

    /** A 3×32×32 image filled per channel with (r, g, b). */
    private static HwcImage solid(int r, int g, int b) {
        double[] v = new double[PLANE * 3];
        for (int p = 0; p < PLANE; p++) {
            v[3 * p] = r / 255.0;
            v[3 * p + 1] = g / 255.0;
            v[3 * p + 2] = b / 255.0;
        }
        return new HwcImage(SIDE, SIDE, 3, v);
    }

    private static int[] firstPixelUint8(HwcImage img) {
        return new int[] {HwcImage.toUint8(img.get(0, 0, 0)), HwcImage.toUint8(img.get(0, 0, 1)),
            HwcImage.toUint8(img.get(0, 0, 2))};
    }

    private static int[] corruptFirstPixel(String name, int severity, int r, int g, int b) {
        return firstPixelUint8(Corruptions.byName(name, null).apply(solid(r, g, b), severity, new SplittableRandom(1)));
    }

    @Test
    void gaussianNoiseResidualStdIsSigmaTimes255() {
        ImageDataset gray = flat(40, 128);
        ImageDataset noisy = new Cifar10CGenerator(null, 2).corrupt(gray, "gaussian_noise", 3, 11L);
        double sum = 0;
        double sq = 0;
        int n = noisy.pixels().length;
        for (int i = 0; i < n; i++) {
            double d = (noisy.pixels()[i] & 0xFF) - 128;
            sum += d;
            sq += d * d;
        }
        double mean = sum / n;
        double std = Math.sqrt(sq / n - mean * mean);
        assertEquals(0.08 * 255, std, 0.02 * 0.08 * 255, "residual std");
        assertEquals(-0.5, mean, 0.3, "truncation biases the mean by about half a level");
    }

    @Test
    void brightnessAddsToHsvValueKeepingHueAndSaturation() {
        // HSV (1/18, .75, 200/255): V + .3 clips to 1, so RGB = (1, .5, .25)·255 truncated
        assertArrayEquals(new int[] {255, 127, 63}, corruptFirstPixel("brightness", 5, 200, 100, 50));
        // V + .05: every channel scales by (100/255 + .05)/(100/255) = 1.1275
        assertArrayEquals(new int[] {112, 56, 0}, corruptFirstPixel("brightness", 1, 100, 50, 0));
    }

    @Test
    void saturateScalesHsvSaturation() {
        // S .75·.3 = .225: max stays 200, min = 200·.775 = 155, middle = 200·(1 − ⅔·.225) = 170
        assertArrayEquals(new int[] {200, 170, 155}, corruptFirstPixel("saturate", 1, 200, 100, 50));
        // grey has S 0 → .1 at severity 4 (S·2 + .1), hue 0: red stays, green and blue drop to 90%
        assertArrayEquals(new int[] {100, 90, 90}, corruptFirstPixel("saturate", 4, 100, 100, 100));
    }

    @Test
    void contrastPullsTowardsThePerChannelMean() {
        HwcImage img = solid(0, 80, 255);
        for (int y = 0; y < SIDE / 2; y++) {
            for (int x = 0; x < SIDE; x++) {
                img.set(y, x, 0, 200 / 255.0); // channel 0: half 0, half 200 → mean 100
            }
        }
        HwcImage out = Corruptions.byName("contrast", null).apply(img, 2, new SplittableRandom(1));
        assertEquals(150, HwcImage.toUint8(out.get(0, 0, 0)));
        assertEquals(50, HwcImage.toUint8(out.get(SIDE - 1, 0, 0)));
        assertEquals(80, HwcImage.toUint8(out.get(5, 5, 1)));
        assertEquals(255, HwcImage.toUint8(out.get(5, 5, 2)));
    }

    @Test
    void pixelateEqualsBoxDownThenUp() {
        HwcImage img = textured(3);
        HwcImage out = Corruptions.byName("pixelate", null).apply(img, 4, new SplittableRandom(1));
        for (int c = 0; c < 3; c++) {
            int[][] plane = new int[SIDE][SIDE];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    plane[y][x] = (int) Math.rint(img.get(y, x, c) * 255);
                }
            }
            int[][] expected = boxResize(boxResize(plane, 24), SIDE);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    assertEquals(expected[y][x], HwcImage.toUint8(out.get(y, x, c)), "pixel " + y + "," + x);
                }
            }
        }
    }

    /** Independent box resize: output o averages inputs whose centres lie in (o·s, (o+1)·s]; rows first, rounded. */
    private static int[][] boxResize(int[][] in, int out) {
        int n = in.length;
        int[][] rows = new int[n][out];
        for (int y = 0; y < n; y++) {
            rows[y] = box1d(in[y], out);
        }
        int[][] res = new int[out][out];
        for (int x = 0; x < out; x++) {
            int[] col = new int[n];
            for (int y = 0; y < n; y++) {
                col[y] = rows[y][x];
            }
            int[] r = box1d(col, out);
            for (int y = 0; y < out; y++) {
                res[y][x] = r[y];
            }
        }
        return res;
    }

    private static int[] box1d(int[] in, int out) {
        double s = (double) in.length / out;
        int[] res = new int[out];
        for (int o = 0; o < out; o++) {
            double sum = 0;
            int count = 0;
            for (int j = 0; j < in.length; j++) {
                double centre = j + 0.5;
                boolean inside = s >= 1 ? centre > o * s && centre <= (o + 1) * s : j == (int) Math.floor((o + 0.5) * s);
                if (inside) {
                    sum += in[j];
                    count++;
                }
            }
            res[o] = (int) Math.floor(sum / count + 0.5);
        }
        return res;
    }

    @Test
    void jpegAtQuality40IsCloseButLossy() {
        HwcImage img = textured(5);
        HwcImage out = Corruptions.byName("jpeg_compression", null).apply(img, 5, new SplittableRandom(1));
        double mse = 0;
        boolean identical = true;
        for (int i = 0; i < img.values().length; i++) {
            double d = (img.values()[i] - out.values()[i]) * 255;
            mse += d * d;
            identical &= d == 0;
        }
        mse /= img.values().length;
        double psnr = 10 * Math.log10(255 * 255 / mse);
        assertTrue(psnr > 24 && psnr < 60, "PSNR " + psnr);
        assertTrue(!identical, "JPEG at quality 40 must lose something");
    }

    @Test
    void motionBlurKernelIsOneSidedNormalisedGaussian() {
        double[] k = MagickMotionBlur.kernel(9, 2.5);
        assertEquals(19, k.length, "width 2·ceil(r)+1");
        assertEquals(1.0, Arrays.stream(k).sum(), 1e-12);
        for (int i = 1; i < k.length; i++) {
            assertTrue(k[i] < k[i - 1], "decreasing away from the pixel itself");
            assertEquals(Math.exp(-(double) i * i / (2 * 2.5 * 2.5)), k[i] / k[0], 1e-12);
        }
        HwcImage flat = solid(90, 90, 90);
        HwcImage blurred = MagickMotionBlur.apply(flat, 9, 2.5, 37.0);
        for (double v : blurred.values()) {
            assertEquals(90, HwcImage.toUint8(v));
        }
    }

    @Test
    void motionBlurShiftsAlongTheAngle() {
        // a single bright column at x = 10; at angle 0 the taps read x, x+1, …, so the column smears to the left
        HwcImage img = solid(0, 0, 0);
        for (int y = 0; y < SIDE; y++) {
            img.set(y, 10, 0, 1.0);
        }
        HwcImage out = MagickMotionBlur.apply(img, 6, 1, 0);
        assertTrue(out.get(5, 9, 0) > 0, "left neighbour picks up the column");
        assertEquals(0.0, out.get(5, 11, 0), "right neighbour does not");
    }

    @Test
    void zoomBlurUsesThePublishedFactorCounts() {
        int[] counts = {7, 12, 16, 21, 26};
        double[] last = {1.06, 1.11, 1.15, 1.20, 1.25};
        for (int s = 1; s <= 5; s++) {
            double[] z = ZoomBlur.factors(s);
            assertEquals(counts[s - 1], z.length, "severity " + s);
            assertEquals(1.0, z[0]);
            assertEquals(last[s - 1], z[z.length - 1], 1e-9);
        }
        HwcImage flat = solid(33, 66, 99);
        HwcImage out = Corruptions.byName("zoom_blur", null).apply(flat, 5, new SplittableRandom(1));
        assertArrayEquals(new int[] {33, 66, 99}, firstPixelUint8(out), "zooming a flat image changes nothing");
    }

    @Test
    void glassShuffleSwapsOnlyWithUpLeftNeighbours() {
        HwcImage img = uniqueValues();
        HwcImage shuffled = img.copy();
        GlassBlur.shuffle(shuffled, 1, 1, new SplittableRandom(5));
        // a permutation of the input …
        double[] a = img.values().clone();
        double[] b = shuffled.values().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b);
        // … in which row 0 and column 0 are never touched (partners are h−1..h, w−1..w with h, w ≥ 2)
        for (int i = 0; i < SIDE; i++) {
            assertEquals(img.get(0, i, 0), shuffled.get(0, i, 0));
            assertEquals(img.get(i, 0, 0), shuffled.get(i, 0, 0));
        }
        // … and no pixel moves down or right by more than one step in one sweep
        int moved = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int id = (int) Math.rint(shuffled.get(y, x, 0) * 1024);
                int fromY = id / SIDE;
                int fromX = id % SIDE;
                assertTrue(y - fromY <= 1 && x - fromX <= 1, "pixel from " + fromY + "," + fromX + " at " + y + "," + x);
                moved += (fromY != y || fromX != x) ? 1 : 0;
            }
        }
        assertTrue(moved > 100, "the sweep moves many pixels, moved " + moved);
        // the offsets drawn are exactly {-1, 0}
        SplittableRandom r = new SplittableRandom(5);
        boolean sawMinus = false;
        boolean sawZero = false;
        for (int i = 0; i < 2 * 30 * 30; i++) {
            int d = r.nextInt(-1, 1);
            sawMinus |= d == -1;
            sawZero |= d == 0;
            assertTrue(d == -1 || d == 0);
        }
        assertTrue(sawMinus && sawZero);
    }

    @Test
    void glassBlurAtSeverityOneOnlyPermutesPixels() {
        // sigma .05 gives a one-tap Gaussian (radius int(4·.05 + .5) = 0), so severity 1 is the uint8 cast and the
        // bare shuffle
        HwcImage img = textured(4);
        HwcImage out = Corruptions.byName("glass_blur", null).apply(img, 1, new SplittableRandom(9));
        double[] a = img.values().clone();
        double[] b = out.values().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b, 1e-12);
        assertNotEquals(img, out);
    }

    @Test
    void everyCorruptionAtEverySeverityKeepsShapeAndStaysFinite(@TempDir Path tmp) {
        Corruption frost = Corruptions.byName("frost",
                io.ensemblescope.datasets.corrupt.weather.FrostTextures.load(SyntheticFrost.write(tmp)));
        HwcImage img = textured(8);
        for (String name : Corruptions.ALL) {
            Corruption c = name.equals("frost") ? frost : Corruptions.byName(name, null);
            assertEquals(name, c.name());
            for (int s = 1; s <= 5; s++) {
                HwcImage out = c.apply(img, s, new SplittableRandom(s));
                assertEquals(SIDE, out.height());
                assertEquals(SIDE, out.width());
                assertEquals(3, out.channels());
                for (double v : out.values()) {
                    assertTrue(Double.isFinite(v) && v > -1 && v < 3, name + "-" + s + " value " + v);
                }
                assertNotEquals(img, out, name + "-" + s + " changed nothing");
            }
        }
        assertEquals(19, Corruptions.ALL.size());
    }

    /** Channel 0 holds a unique id per pixel (id/1024); other channels copy it. */
    private static HwcImage uniqueValues() {
        double[] v = new double[PLANE * 3];
        for (int p = 0; p < PLANE; p++) {
            for (int c = 0; c < 3; c++) {
                v[3 * p + c] = p / 1024.0;
            }
        }
        return new HwcImage(SIDE, SIDE, 3, v);
    }

    static HwcImage textured(long seed) {
        ImageDataset d = Cifar10CBenchmark.synthetic(1, seed);
        return HwcImage.fromChwUint8(d.pixels(), 0, 3, SIDE, SIDE);
    }

    static ImageDataset flat(int n, int value) {
        byte[] px = new byte[n * 3 * PLANE];
        Arrays.fill(px, (byte) value);
        return new ImageDataset("flat", px, new int[n], 3, SIDE, SIDE, List.of("only"),
                ImageDataset.Normalization.unit(3));
    }
}
