package io.ensemblescope.datasets.npy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and writes NumPy {@code .npy} integer arrays (uint8 images, int64/uint8/int32 labels). */
public final class Npy {
    private Npy() {
    }

    public static NpyHeader header(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NpyHeader.read(in);
        }
    }

    /** All elements of a uint8/int8 array as bytes. */
    public static byte[] readBytes(Path file) throws IOException {
        NpyHeader h = header(file);
        requireByteSized(h, file);
        return readBlock(file, h, 0, h.count());
    }

    /** Elements [from, from + n) of a one-byte array (e.g. one severity block of a released corruption file). */
    public static byte[] readBytes(Path file, long from, long n) throws IOException {
        NpyHeader h = header(file);
        requireByteSized(h, file);
        if (from < 0 || n < 0 || from + n > h.count()) {
            throw new IllegalArgumentException("npy range [" + from + ", " + (from + n) + ") outside 0.." + h.count()
                    + " of " + file);
        }
        return readBlock(file, h, from, n);
    }

    /** All elements of any supported integer array, widened to long (labels.npy may be uint8, int32 or int64). */
    public static long[] readLongs(Path file) throws IOException {
        NpyHeader h = header(file);
        if (h.count() > Integer.MAX_VALUE / h.itemSize()) {
            throw new IllegalArgumentException("npy: " + file + " has too many elements for readLongs");
        }
        ByteBuffer buf = ByteBuffer.wrap(readBlock(file, h, 0, h.count())).order(h.order());
        long[] out = new long[(int) h.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (h.itemSize()) {
                case 1 -> h.unsigned() ? buf.get() & 0xFFL : buf.get();
                case 2 -> h.unsigned() ? buf.getShort() & 0xFFFFL : buf.getShort();
                case 4 -> h.unsigned() ? buf.getInt() & 0xFFFFFFFFL : buf.getInt();
                default -> buf.getLong();
            };
        }
        return out;
    }

    public static void writeUint8(Path file, long[] shape, byte[] data) throws IOException {
        try (OutputStream out = openUint8(file, shape)) {
            out.write(data);
        }
    }

    /**
     * Opens {@code file} for streaming a uint8 array of {@code shape}: the header is written, the caller writes exactly
     * prod(shape) bytes (checked on close).
     */
    public static OutputStream openUint8(Path file, long[] shape) throws IOException {
        NpyHeader h = new NpyHeader("|u1", shape.clone(), 0);
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        raw.write(h.encode());
        return new CountingOutput(raw, h.count(), file);
    }

    public static void writeInt64(Path file, long[] shape, long[] data) throws IOException {
        NpyHeader h = new NpyHeader("<i8", shape.clone(), 0);
        if (h.count() != data.length) {
            throw new IllegalArgumentException("npy data: " + data.length + " values for shape of " + h.count());
        }
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            buf.putLong(v);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(h.encode());
            out.write(buf.array());
        }
    }

    private static byte[] readBlock(Path file, NpyHeader h, long from, long n) throws IOException {
        long bytes = n * h.itemSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("npy: block of " + bytes + " bytes in " + file + " exceeds one array");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = h.dataOffset() + from * h.itemSize();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new IllegalArgumentException("npy: " + file + " is truncated (expected " + h.count()
                            + " elements)");
                }
            }
        }
        return buf.array();
    }

    private static void requireByteSized(NpyHeader h, Path file) {
        if (h.itemSize() != 1) {
            throw new IllegalArgumentException("npy descr: " + file + " has dtype " + h.descr()
                    + ", expected uint8");
        }
    }

    /** Checks the promised element count on close so a short write fails loudly instead of leaving a corrupt file. */
    private static final class CountingOutput extends java.io.FilterOutputStream {
        private final long expected;
        private final Path file;
        private long written;

        CountingOutput(OutputStream out, long expected, Path file) {
            super(out);
            this.expected = expected;
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }

        @Override
        public void close() throws IOException {
            super.close();
            if (written != expected) {
                throw new IllegalStateException("npy: wrote " + written + " of " + expected + " bytes to " + file);
            }
        }
    }
}
