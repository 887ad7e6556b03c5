package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The metric library stays pure Java: no DJL, no gRPC, no protobuf, no service contracts. */
class LibraryPurityTest {
    private static final List<String> FORBIDDEN = List.of("ai.djl", "io.grpc", "com.google.protobuf",
            "io.ensemblescope.api", "io.ensemblescope.rpc", "io.ensemblescope.core");

    @Test
    void importsNothingButTheJdk() throws IOException {
        Path dir = Path.of("src/main/java/io/ensemblescope/metrics/math");
        assertTrue(Files.isDirectory(dir), "run from the metrics-service module directory");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertFalse(sources.isEmpty());
            for (Path source : sources) {
                for (String line : Files.readAllLines(source)) {
                    String t = line.trim();
                    if (t.startsWith("import ")) {
                        assertTrue(t.startsWith("import java.") || t.startsWith("import static java."),
                                source.getFileName() + ": " + t);
                    }
                    for (String f : FORBIDDEN) {
                        assertFalse(t.contains(f + "."), source.getFileName() + " mentions " + f);
                    }
                }
            }
        }
    }
}
