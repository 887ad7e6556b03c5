package io.ensemblescope.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 of files, streamed. */
public final class Checksums {
    private Checksums() {
    }

    public static String sha256(Path file) throws IOException {
        return sha256(file, done -> { });
    }

    /** Hex SHA-256 of the file; {@code progress} receives the running byte count. */
    public static String sha256(Path file, LongConsumer progress) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] buf = new byte[1 << 20];
        long done = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                done += n;
                progress.accept(done);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
