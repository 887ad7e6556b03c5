package io.ensemblescope.datasets.corrupt.ops;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** JPEG encode at a libjpeg quality (1..100) and decode back, with javax.imageio (baseline, 4:2:0 chroma). */
public final class JpegCodec {
    private JpegCodec() {
    }

    /** Round-trips an 8-bit RGB image given as packed 0xRRGGBB ints, row-major. */
    public static int[] roundTrip(int[] rgb, int height, int width, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100, got " + quality);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        byte[] jpeg = encode(img, quality);
        try {
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg));
            return back.getRGB(0, 0, width, height, null, 0, width);
        } catch (IOException e) {
            throw new UncheckedIOException("jpeg decode", e);
        }
    }

    public static byte[] encode(BufferedImage img, int quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no javax.imageio JPEG writer available");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            // ImageIO maps this linearly onto libjpeg's quality scale (jpeg_quality_scaling), as Pillow's quality=.
            param.setCompressionQuality(quality / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("jpeg encode", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
