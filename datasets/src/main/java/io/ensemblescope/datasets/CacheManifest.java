package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SHA256SUMS file of a cache entry, in {@code sha256sum} format so a person can check it with
 * {@code sha256sum -c SHA256SUMS}. Written once the fetched files passed verification; later loads compare against
 * it to detect corruption.
 */
final class CacheManifest {
    static final String FILE_NAME = "SHA256SUMS";

    private CacheManifest() {
    }

    static void write(Path dir, Map<String, String> sums) throws IOException {
        StringBuilder sb = new StringBuilder();
        sums.forEach((name, sha) -> sb.append(sha).append("  ").append(name).append('\n'));
        Files.writeString(dir.resolve(FILE_NAME), sb, StandardCharsets.UTF_8);
    }

    /** File name → sha256; throws NoSuchFileException when the entry has no manifest. */
    static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            int sep = line.indexOf("  ");
            if (sep > 0) {
                sums.put(line.substring(sep + 2), line.substring(0, sep));
            }
        }
        return sums;
    }
}
