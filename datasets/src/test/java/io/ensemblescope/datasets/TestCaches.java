package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch cache roots under target/ for tests that must not touch the user's cache. */
final class TestCaches {
    private TestCaches() {
    }

    static Path fresh(String label) throws IOException {
        Path parent = Files.createDirectories(Path.of("target", "dataset-test-caches"));
        return Files.createTempDirectory(parent, label + "-").toAbsolutePath();
    }

    static void delete(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
