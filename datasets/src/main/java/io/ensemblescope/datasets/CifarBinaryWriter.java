package io.ensemblescope.datasets;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a 3×32×32 dataset in the original CIFAR-10 binary record layout read by {@link CifarBinaryReader}. */
public final class CifarBinaryWriter {
    private CifarBinaryWriter() {
    }

    public static void write(ImageDataset images, Path file) throws IOException {
        if (images.channels() != CifarBinaryReader.CHANNELS || images.height() != CifarBinaryReader.SIDE
                || images.width() != CifarBinaryReader.SIDE) {
            throw new IllegalArgumentException(images.name() + ": CIFAR records hold 3x32x32 images, not "
                    + images.channels() + "x" + images.height() + "x" + images.width());
        }
        byte[] pixels = images.pixels();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < images.size(); i++) {
                int label = images.label(i);
                if (label < 0 || label > 255) {
                    throw new IllegalArgumentException(images.name() + ": label " + label + " of image " + i
                            + " does not fit a CIFAR label byte");
                }
                out.write(label);
                out.write(pixels, i * CifarBinaryReader.IMAGE_BYTES, CifarBinaryReader.IMAGE_BYTES);
            }
        }
    }
}
