package io.ensemblescope.datasets.corrupt.weather;

import io.ensemblescope.datasets.corrupt.ops.Resize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The frost overlays frost1.png … frost5.jpg (from the reference repository; frost6 is never drawn by the CIFAR
 * generator), each shrunk ×0.2 with bilinear interpolation (cv2.resize) and kept as 8-bit RGB.
 */
public final class FrostTextures {
    public static final List<String> FILES = List.of("frost1.png", "frost2.png", "frost3.png", "frost4.jpg",
            "frost5.jpg");
    private static final double SHRINK = 0.2;

    private final List<Texture> textures;

    private FrostTextures(List<Texture> textures) {
        this.textures = List.copyOf(textures);
    }

    /** An 8-bit RGB texture, row-major HWC. */
    public record Texture(int height, int width, int[] rgb) {
        public int at(int y, int x, int c) {
            return rgb[(y * width + x) * 3 + c];
        }
    }

    /** Why frost textures cannot be loaded from {@code dir}, or empty when they can. */
    public static Optional<String> unavailableReason(Path dir) {
        if (dir == null) {
            return Optional.of("no frost texture directory given (frostDir)");
        }
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return Optional.of("frost texture " + dir.resolve(f) + " not found");
            }
        }
        return Optional.empty();
    }

    public static FrostTextures load(Path dir) {
        unavailableReason(dir).ifPresent(reason -> {
            throw new IllegalArgumentException("frostDir: " + reason);
        });
        List<Texture> list = new ArrayList<>();
        for (String f : FILES) {
            list.add(shrink(read(dir.resolve(f))));
        }
        return new FrostTextures(list);
    }

    public int count() {
        return textures.size();
    }

    public Texture get(int i) {
        return textures.get(i);
    }

    private static BufferedImage read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IllegalArgumentException("frostDir: " + file + " is not a readable PNG/JPEG");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static Texture shrink(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // alpha ignored, as cv2.imread(IMREAD_COLOR) drops it
        int ow = (int) Math.rint(w * SHRINK);
        int oh = (int) Math.rint(h * SHRINK);
        int[] rgb = new int[ow * oh * 3];
        for (int c = 0; c < 3; c++) {
            double[] plane = new double[w * h];
            int shift = 16 - 8 * c;
            for (int i = 0; i < plane.length; i++) {
                plane[i] = (argb[i] >> shift) & 0xFF;
            }
            double[] small = Resize.bilinear(plane, h, w, oh, ow, 1 / SHRINK, 1 / SHRINK);
            for (int i = 0; i < small.length; i++) {
                rgb[i * 3 + c] = (int) Math.max(0, Math.min(255, Math.rint(small[i])));
            }
        }
        return new Texture(oh, ow, rgb);
    }
}
