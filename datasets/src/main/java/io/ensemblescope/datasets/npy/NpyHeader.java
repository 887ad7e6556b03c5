package io.ensemblescope.datasets.npy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0–3.0): integer dtype, C-order shape, data offset.
 * Only little/big-endian integer dtypes ({@code [<>|=][iu][1248]}) are supported — what image and label arrays use.
 */
public record NpyHeader(String descr, long[] shape, long dataOffset) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern INT_DTYPE = Pattern.compile("([<>|=])([iu])([1248])");
    /** numpy pads the header so the data starts on a 64-byte boundary. */
    private static final int ALIGN = 64;

    public NpyHeader {
        Matcher m = INT_DTYPE.matcher(descr);
        if (!m.matches()) {
            throw new IllegalArgumentException("npy descr: unsupported dtype '" + descr + "' (integer dtypes only)");
        }
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("npy shape: negative dimension " + d);
            }
        }
    }

    public int itemSize() {
        return descr.charAt(2) - '0';
    }

    public boolean unsigned() {
        return descr.charAt(1) == 'u';
    }

    public ByteOrder order() {
        return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    public long count() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Reads the header; the stream is left at the first data byte. */
    public static NpyHeader read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("npy: bad magic, not a .npy file");
        }
        int major = data.readUnsignedByte();
        data.readUnsignedByte();
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = data.readUnsignedByte() | (data.readUnsignedByte() << 8);
            prefix = 10;
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
            prefix = 12;
        } else {
            throw new IllegalArgumentException("npy: unsupported format version " + major);
        }
        byte[] text = new byte[(int) headerLength];
        data.readFully(text);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher fortran = FORTRAN.matcher(dict);
        if (fortran.find() && fortran.group(1).equals("True")) {
            throw new IllegalArgumentException("npy fortran_order: Fortran-ordered arrays are not supported");
        }
        return new NpyHeader(group(DESCR, dict, "descr"), parseShape(group(SHAPE, dict, "shape")), prefix + headerLength);
    }

    /** The version 1.0 header bytes for this dtype and shape. */
    public byte[] encode() {
        StringBuilder shapeText = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            shapeText.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : (i < shape.length - 1 ? ", " : ""));
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        String padded = dict + " ".repeat(pad) + "\n";
        byte[] body = padded.getBytes(StandardCharsets.ISO_8859_1);
        if (body.length > 0xFFFF) {
            throw new IllegalArgumentException("npy shape: header too long for format 1.0");
        }
        byte[] out = new byte[10 + body.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (body.length & 0xFF);
        out[9] = (byte) (body.length >>> 8);
        System.arraycopy(body, 0, out, 10, body.length);
        return out;
    }

    private static String group(Pattern p, String dict, String field) {
        Matcher m = p.matcher(dict);
        if (!m.find()) {
            throw new IllegalArgumentException("npy header: missing '" + field + "' in " + dict.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
