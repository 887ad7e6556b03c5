package io.ensemblescope.datasets.corrupt.digital;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.JpegCodec;
import io.ensemblescope.datasets.corrupt.ops.Rgb8;
import java.util.SplittableRandom;

/** JPEG encode/decode at quality 80 65 58 50 40. */
public final class JpegCompression implements Corruption {
    private static final int[] QUALITY = {80, 65, 58, 50, 40};

    @Override
    public String name() {
        return "jpeg_compression";
    }

    public static int quality(int severity) {
        return QUALITY[Corruption.level(severity)];
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        if (image.channels() != 3) {
            throw new IllegalArgumentException("jpeg_compression needs RGB images, got " + image.channels()
                    + " channels");
        }
        int[] rgb = JpegCodec.roundTrip(Rgb8.packed(image), image.height(), image.width(), quality(severity));
        return Rgb8.fromPacked(rgb, image.height(), image.width());
    }
}
