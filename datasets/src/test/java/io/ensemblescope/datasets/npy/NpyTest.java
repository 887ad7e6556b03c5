package io.ensemblescope.datasets.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void uint8RoundTripWithNumpyHeader() throws Exception {
        byte[] data = new byte[2 * 4 * 4 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path f = dir.resolve("a.npy");
        Npy.writeUint8(f, new long[] {2, 4, 4, 3}, data);
        byte[] raw = Files.readAllBytes(f);
        String header = new String(raw, 10, raw.length - 10 - data.length, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 4, 3), }", header.trim());
        assertEquals(0, (raw.length - data.length) % 64, "data 64-byte aligned like numpy");
        assertArrayEquals(data, Npy.readBytes(f));
        assertArrayEquals(new long[] {2, 4, 4, 3}, Npy.header(f).shape());
        byte[] block = Npy.readBytes(f, 48, 48);
        for (int i = 0; i < 48; i++) {
            assertEquals(data[48 + i], block[i]);
        }
    }

    @Test
    void int64RoundTripAndOneDimensionalShape() throws Exception {
        Path f = dir.resolve("labels.npy");
        long[] labels = {3, 8, 8, 0, -1, 1L << 40};
        Npy.writeInt64(f, new long[] {6}, labels);
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertEquals(true, text.contains("'shape': (6,)"));
        assertArrayEquals(labels, Npy.readLongs(f));
    }

    @Test
    void readsUint8Int32AndBigEndianLabels() throws Exception {
        assertArrayEquals(new long[] {200, 7}, Npy.readLongs(handWritten("|u1", new byte[] {(byte) 200, 7})));
        ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(9);
        assertArrayEquals(new long[] {-5, 9}, Npy.readLongs(handWritten("<i4", le.array())));
        ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(4).putLong(1234567);
        assertArrayEquals(new long[] {4, 1234567}, Npy.readLongs(handWritten(">i8", be.array())));
    }

    @Test
    void rejectsWhatItCannotRead() throws Exception {
        Path notNpy = dir.resolve("x.npy");
        Files.write(notNpy, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> Npy.readBytes(notNpy));
        Path int64 = handWritten("<i8", new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> Npy.readBytes(int64), "int64 is not uint8 image data");
        assertThrows(IllegalArgumentException.class, () -> new NpyHeader("<f4", new long[] {1}, 0));
        Path shortFile = dir.resolve("short.npy");
        try (OutputStream out = Files.newOutputStream(shortFile)) {
            out.write(new NpyHeader("|u1", new long[] {100}, 0).encode());
            out.write(new byte[10]);
        }
        assertThrows(IllegalArgumentException.class, () -> Npy.readBytes(shortFile));
        assertThrows(IllegalStateException.class, () -> {
            try (OutputStream out = Npy.openUint8(dir.resolve("partial.npy"), new long[] {4})) {
                out.write(new byte[3]);
            }
        });
    }

    private Path handWritten(String descr, byte[] payload) throws Exception {
        int itemSize = descr.charAt(2) - '0';
        Path f = dir.resolve(descr.replaceAll("[^a-z0-9]", "_") + ".npy");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(new NpyHeader(descr, new long[] {payload.length / itemSize}, 0).encode());
            out.write(payload);
        }
        return f;
    }
}
