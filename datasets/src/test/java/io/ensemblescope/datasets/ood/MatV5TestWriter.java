package io.ensemblescope.datasets.ood;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/** A tiny MAT v5 writer for tests: numeric matrices, optionally wrapped in miCOMPRESSED (zlib) elements. */
public final class MatV5TestWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    public MatV5TestWriter(ByteOrder order) {
        this.order = order;
        byte[] header = new byte[128];
        byte[] text = "MATLAB 5.0 MAT-file, written by EnsembleScope tests".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(header, 0, 116, (byte) ' ');
        System.arraycopy(text, 0, header, 0, text.length);
        ByteBuffer tail = ByteBuffer.wrap(header, 124, 4).order(order);
        tail.putShort((short) 0x0100);
        header[126] = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M');
        header[127] = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'M' : 'I');
        out.writeBytes(header);
    }

    /** Adds a matrix of MATLAB class {@code mxClass} stored as {@code storageType} with raw element bytes. */
    public MatV5TestWriter matrix(String name, int mxClass, int[] dims, int storageType, byte[] elements,
                                  boolean compress) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(element(MatV5Reader.MI_UINT32, ByteBuffer.allocate(8).order(order).putInt(mxClass).putInt(0)
                .array()));
        ByteBuffer d = ByteBuffer.allocate(4 * dims.length).order(order);
        for (int v : dims) {
            d.putInt(v);
        }
        m.writeBytes(element(MatV5Reader.MI_INT32, d.array()));
        m.writeBytes(element(MatV5Reader.MI_INT8, name.getBytes(StandardCharsets.US_ASCII)));
        m.writeBytes(element(storageType, elements));
        byte[] matrix = element(MatV5Reader.MI_MATRIX, m.toByteArray());
        if (compress) {
            Deflater deflater = new Deflater();
            deflater.setInput(matrix);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!deflater.finished()) {
                z.write(buf, 0, deflater.deflate(buf));
            }
            deflater.end();
            byte[] zb = z.toByteArray();
            out.writeBytes(ByteBuffer.allocate(8).order(order).putInt(MatV5Reader.MI_COMPRESSED).putInt(zb.length)
                    .array());
            out.writeBytes(zb); // compressed elements are not padded
        } else {
            out.writeBytes(matrix);
        }
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** A tagged element, using the small-element form for payloads of at most 4 bytes (as MATLAB does for names). */
    private byte[] element(int type, byte[] payload) {
        if (payload.length <= 4 && type != MatV5Reader.MI_MATRIX) {
            ByteBuffer b = ByteBuffer.allocate(8).order(order);
            b.putInt((payload.length << 16) | type);
            b.put(payload);
            return b.array();
        }
        int padded = (payload.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(order);
        b.putInt(type).putInt(payload.length).put(payload);
        return b.array();
    }
}
