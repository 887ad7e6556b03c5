package io.ensemblescope.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (big-endian header: magic 0x0000_08_NN with NN the number of
 * dimensions, then one int per dimension, then unsigned bytes). Gzipped files are recognised by their magic bytes,
 * so {@code t10k-images-idx3-ubyte} and {@code t10k-images-idx3-ubyte.gz} read the same.
 */
public final class IdxReader {
    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Images and labels as one single-channel dataset. */
    public static ImageDataset read(String name, Path images, Path labels, List<String> classNames,
                                    ImageDataset.Normalization normalization) throws IOException {
        Idx img = readUbyte(images, 3);
        Idx lab = readUbyte(labels, 1);
        if (img.dims[0] != lab.dims[0]) {
            throw new IOException(images + " holds " + img.dims[0] + " images but " + labels + " holds "
                    + lab.dims[0] + " labels");
        }
        int[] labelInts = new int[lab.dims[0]];
        for (int i = 0; i < labelInts.length; i++) {
            labelInts[i] = lab.data[i] & 0xFF;
        }
        return new ImageDataset(name, img.data, labelInts, 1, img.dims[1], img.dims[2], classNames, normalization);
    }

    /** The first {@code n} labels only (cheap content check of a label file). */
    public static int[] readFirstLabels(Path labels, int n) throws IOException {
        try (DataInputStream in = open(labels)) {
            int[] dims = header(in, labels, 1);
            int count = Math.min(n, dims[0]);
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = in.readUnsignedByte();
            }
            return out;
        }
    }

    private static Idx readUbyte(Path file, int expectedDims) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, expectedDims);
            long total = 1;
            for (int d : dims) {
                total *= d;
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + total + " bytes of data is too large");
            }
            byte[] data = new byte[(int) total];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated, expected " + total + " data bytes", e);
            }
            return new Idx(dims, data);
        }
    }

    private static int[] header(DataInputStream in, Path file, int expectedDims) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xFF;
        int ndims = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UBYTE || ndims != expectedDims) {
            throw new IOException(file + ": not an IDX ubyte file with " + expectedDims + " dimension(s) (magic 0x"
                    + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IOException(file + ": negative dimension " + dims[i]);
            }
        }
        return dims;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private record Idx(int[] dims, byte[] data) {
    }
}
