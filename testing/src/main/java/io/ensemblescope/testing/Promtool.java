package io.ensemblescope.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code promtool check metrics} (Debian package prometheus) on a scrape, for the services' tests. Where
 * promtool is not installed the calling test is skipped with a message saying so; .ci/run installs it, so CI always
 * checks.
 */
public final class Promtool {
    private Promtool() {}

    /** promtool on the PATH, if any. */
    static Optional<Path> locate() {
        String path = System.getenv("PATH");
        return Stream.of((path == null ? "/usr/bin" : path).split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static boolean available() {
        return locate().isPresent();
    }

    /**
     * Throws AssertionError with promtool's complaints when the exposition is not clean; skips the calling test
     * (a JUnit assumption) when promtool is not installed.
     */
    public static void assertValid(String exposition) throws IOException, InterruptedException {
        Optional<Path> promtool = locate();
        Assumptions.assumeTrue(promtool.isPresent(),
                "promtool is not installed, so the Prometheus text is not checked: apt-get install prometheus"
                        + " (.ci/run does)");
        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("promtool check metrics failed:\n" + out);
        }
    }
}
