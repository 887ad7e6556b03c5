package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.corrupt.image.Corruption;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One PNG showing one image clean and under every corruption at a severity: a labelled grid of tiles scaled ×4
 * (nearest neighbour, so the corruption's pixels stay visible). Backs {@code escope cifar10c montage}.
 */
public final class Montage {
    public static final int SCALE = 4;
    public static final int COLUMNS = 5;
    private static final int LABEL_HEIGHT = 16;
    private static final int GAP = 4;

    private Montage() {
    }

    /** Seed 0; see {@link #write(ImageDataset, int, int, Path, Path, long)}. */
    public static GenerationReport write(ImageDataset data, int index, int severity, Path frostDir, Path out)
            throws IOException {
        return write(data, index, severity, frostDir, out, 0L);
    }

    /**
     * Writes the montage PNG to {@code out}. Frost is left out (and reported skipped) when {@code frostDir} is null or
     * lacks the textures.
     */
    public static GenerationReport write(ImageDataset data, int index, int severity, Path frostDir, Path out, long seed)
            throws IOException {
        if (index < 0 || index >= data.size()) {
            throw new IllegalArgumentException("index " + index + " outside 0.." + (data.size() - 1));
        }
        Corruption.level(severity);
        Cifar10CGenerator generator = new Cifar10CGenerator(frostDir, 1);
        GenerationReport plan = generator.plan(Corruptions.ALL);
        ImageDataset one = data.slice(index, 1);
        List<String> labels = new ArrayList<>();
        List<ImageDataset> tiles = new ArrayList<>();
        labels.add("clean");
        tiles.add(one);
        for (String name : plan.generated()) {
            labels.add(name);
            tiles.add(generator.corrupt(one, name, severity, seed));
        }
        BufferedImage img = render(tiles, labels);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IllegalStateException("no PNG writer available");
        }
        return plan;
    }

    private static BufferedImage render(List<ImageDataset> tiles, List<String> labels) {
        int side = Cifar10CGenerator.SIDE * SCALE;
        int cellW = side + GAP;
        int cellH = side + LABEL_HEIGHT + GAP;
        int rows = (tiles.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage img = new BufferedImage(COLUMNS * cellW + GAP, rows * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int t = 0; t < tiles.size(); t++) {
                int left = GAP + (t % COLUMNS) * cellW;
                int top = GAP + (t / COLUMNS) * cellH;
                paintTile(img, tiles.get(t), left, top);
                drawLabel(g, labels.get(t), left, top + side + LABEL_HEIGHT - 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void paintTile(BufferedImage img, ImageDataset one, int left, int top) {
        int n = Cifar10CGenerator.SIDE;
        for (int y = 0; y < n * SCALE; y++) {
            for (int x = 0; x < n * SCALE; x++) {
                int sy = y / SCALE;
                int sx = x / SCALE;
                int rgb = (one.pixel(0, 0, sy, sx) << 16) | (one.pixel(0, 1, sy, sx) << 8) | one.pixel(0, 2, sy, sx);
                img.setRGB(left + x, top + y, rgb);
            }
        }
    }

    /** Labels are a nicety: on a JVM without usable fonts the grid is still written, unlabeled. */
    private static void drawLabel(Graphics2D g, String text, int x, int baseline) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(Color.BLACK);
            g.drawString(text, x, baseline);
        } catch (RuntimeException | Error e) { // fontconfig missing on minimal images surfaces as an Error
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
        }
    }
}
