package io.ensemblescope.datasets.ood;

import java.nio.ByteBuffer;

/**
 * One numeric MATLAB array from a MAT v5 file: name, MATLAB class, dimensions (column-major) and the real part as
 * stored (the storage type may be narrower than the class, e.g. a double array saved as miUINT8).
 */
public record MatArray(String name, int matlabClass, int[] dims, int storageType, ByteBuffer data) {
    public static final int MX_DOUBLE_CLASS = 6;
    public static final int MX_UINT8_CLASS = 9;

    public long count() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The elements as bytes; only for arrays stored as miINT8/miUINT8. */
    public byte[] bytes() {
        if (storageType != MatV5Reader.MI_UINT8 && storageType != MatV5Reader.MI_INT8) {
            throw new IllegalArgumentException("mat array " + name + ": stored as type " + storageType
                    + ", not 8-bit");
        }
        byte[] out = new byte[(int) count()];
        data.duplicate().get(out);
        return out;
    }

    /** Element i (column-major) as a double, whatever the storage type. */
    public double get(int i) {
        return switch (storageType) {
            case MatV5Reader.MI_INT8 -> data.get(i);
            case MatV5Reader.MI_UINT8 -> data.get(i) & 0xFF;
            case MatV5Reader.MI_INT16 -> data.getShort(2 * i);
            case MatV5Reader.MI_UINT16 -> data.getShort(2 * i) & 0xFFFF;
            case MatV5Reader.MI_INT32 -> data.getInt(4 * i);
            case MatV5Reader.MI_UINT32 -> data.getInt(4 * i) & 0xFFFFFFFFL;
            case MatV5Reader.MI_SINGLE -> data.getFloat(4 * i);
            case MatV5Reader.MI_DOUBLE -> data.getDouble(8 * i);
            case MatV5Reader.MI_INT64, MatV5Reader.MI_UINT64 -> data.getLong(8 * i);
            default -> throw new IllegalArgumentException("mat array " + name + ": unsupported storage type "
                    + storageType);
        };
    }
}
