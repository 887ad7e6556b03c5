package io.ensemblescope.datasets.ood;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the numeric matrices of a MATLAB level-5 MAT-file: 128-byte header, then data elements — miMATRIX (array
 * flags, dimensions, name, real part) and miCOMPRESSED (a zlib stream holding one element). Small-data-element tags
 * and 8-byte padding are handled; cell, struct, sparse and complex arrays are skipped.
 */
public final class MatV5Reader {
    public static final int MI_INT8 = 1;
    public static final int MI_UINT8 = 2;
    public static final int MI_INT16 = 3;
    public static final int MI_UINT16 = 4;
    public static final int MI_INT32 = 5;
    public static final int MI_UINT32 = 6;
    public static final int MI_SINGLE = 7;
    public static final int MI_DOUBLE = 9;
    public static final int MI_INT64 = 12;
    public static final int MI_UINT64 = 13;
    public static final int MI_MATRIX = 14;
    public static final int MI_COMPRESSED = 15;
    private static final int HEADER_BYTES = 128;
    private static final int COMPLEX_FLAG = 0x0800;
    private static final int LAST_NUMERIC_CLASS = 15;
    private static final int FIRST_NUMERIC_CLASS = 6;

    private MatV5Reader() {
    }

    /** All numeric arrays of the file by name (memory-maps the file; the arrays view the mapping). */
    public static Map<String, MatArray> read(Path file) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        return parse(buf, file.toString());
    }

    public static Map<String, MatArray> parse(ByteBuffer file, String source) {
        if (file.limit() < HEADER_BYTES) {
            throw new IllegalArgumentException("mat file " + source + ": shorter than the 128-byte header");
        }
        String text = StandardCharsets.ISO_8859_1.decode(file.duplicate().limit(10)).toString();
        if (text.startsWith("MATLAB 7.3") || !text.startsWith("MATLAB")) {
            throw new IllegalArgumentException("mat file " + source + ": not a MATLAB level-5 MAT-file (v7.3/HDF5"
                    + " files are not supported)");
        }
        char e0 = (char) file.get(126);
        char e1 = (char) file.get(127);
        ByteOrder order;
        if (e0 == 'I' && e1 == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (e0 == 'M' && e1 == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new IllegalArgumentException("mat file " + source + ": bad endian indicator");
        }
        ByteBuffer body = file.duplicate().position(HEADER_BYTES).slice().order(order);
        Map<String, MatArray> arrays = new LinkedHashMap<>();
        readElements(body, arrays, source);
        return arrays;
    }

    private static void readElements(ByteBuffer buf, Map<String, MatArray> arrays, String source) {
        while (buf.remaining() >= 8) {
            Element e = Element.next(buf, source);
            if (e.type == MI_MATRIX) {
                MatArray a = matrix(e.data, source);
                if (a != null) {
                    arrays.put(a.name(), a);
                }
            } else if (e.type == MI_COMPRESSED) {
                readElements(ByteBuffer.wrap(inflate(e.data, source)).order(buf.order()), arrays, source);
            }
        }
    }

    private static MatArray matrix(ByteBuffer m, String source) {
        if (!m.hasRemaining()) {
            return null; // an empty miMATRIX is legal
        }
        Element flags = Element.next(m, source);
        int flagWord = flags.data.getInt(0);
        int matlabClass = flagWord & 0xFF;
        if (matlabClass < FIRST_NUMERIC_CLASS || matlabClass > LAST_NUMERIC_CLASS || (flagWord & COMPLEX_FLAG) != 0) {
            return null;
        }
        Element dimsElement = Element.next(m, source);
        int[] dims = new int[dimsElement.data.remaining() / 4];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = dimsElement.data.getInt(4 * i);
        }
        Element name = Element.next(m, source);
        String arrayName = StandardCharsets.UTF_8.decode(name.data).toString();
        Element real = Element.next(m, source);
        return new MatArray(arrayName, matlabClass, dims, real.type, real.data);
    }

    private static byte[] inflate(ByteBuffer data, String source) {
        byte[] in = new byte[data.remaining()];
        data.get(in);
        Inflater inflater = new Inflater();
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 4);
        byte[] chunk = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("mat file " + source + ": truncated miCOMPRESSED element");
                }
                out.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("mat file " + source + ": corrupt miCOMPRESSED element", e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    /** A data element: type and its payload (a view, in the file's byte order). */
    private record Element(int type, ByteBuffer data) {
        static Element next(ByteBuffer buf, String source) {
            int first = buf.getInt();
            int type;
            int size;
            boolean small = (first >>> 16) != 0;
            if (small) { // small data element: 2-byte size, 2-byte type, data in the next 4 bytes
                size = first >>> 16;
                type = first & 0xFFFF;
            } else {
                type = first;
                size = buf.getInt();
            }
            int capacity = small ? 4 : size;
            if (size < 0 || capacity > buf.remaining() || size > capacity) {
                throw new IllegalArgumentException("mat file " + source + ": element of type " + type + " claims "
                        + size + " bytes, " + buf.remaining() + " left");
            }
            ByteBuffer data = buf.slice(buf.position(), size).order(buf.order());
            int advance = small ? 4 : (type == MI_COMPRESSED ? size : (size + 7) & ~7);
            buf.position(Math.min(buf.limit(), buf.position() + advance));
            return new Element(type, data);
        }
    }
}
