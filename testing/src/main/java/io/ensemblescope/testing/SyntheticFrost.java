package io.ensemblescope.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Stand-in frost textures for tests that exercise the frost code without the reference textures (which are not
 * redistributed with this repository): five bright, speckled RGB images under the reference file names, 200×200 so
 * that the ×0.2 shrink still leaves more than a 32×32 crop. One test per module uses the real textures when they are
 * present beside the repository, and is skipped, saying so, when they are not.
 */
public final class SyntheticFrost {
    public static final List<String> FILES = List.of("frost1.png", "frost2.png", "frost3.png", "frost4.jpg",
            "frost5.jpg");
    static final int SIDE = 200;

    private SyntheticFrost() {}

    /** Writes the five textures into {@code dir} (created if needed) and returns it. */
    public static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < FILES.size(); i++) {
                String file = FILES.get(i);
                String format = file.endsWith(".png") ? "png" : "jpg";
                if (!ImageIO.write(texture(i), format, dir.resolve(file).toFile())) {
                    throw new IllegalStateException("no ImageIO writer for " + format);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ice-like: a bright base with a seeded speckle and a diagonal streak, different per texture. */
    private static BufferedImage texture(int index) {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(31L * index + 7);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int streak = (x + y + 17 * index) % 40 < 6 ? 40 : 0;
                int v = Math.min(255, 150 + rnd.nextInt(70) + streak);
                img.setRGB(x, y, (v << 16) | (v << 8) | Math.min(255, v + 10));
            }
        }
        return img;
    }
}
