package io.ensemblescope.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} (Debian package prometheus) on a scrape, for the services' tests. Absent
 * promtool fails loudly unless the caller skips: .ci/run installs it, so CI always checks.
 */
public final class Promtool {
    private Promtool() {}

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/promtool"));
    }

    /** Throws AssertionError with promtool's complaints when the exposition is not clean. */
    public static void assertValid(String exposition) throws IOException, InterruptedException {
        if (!available()) {
            throw new AssertionError("promtool is not installed: apt-get install prometheus (.ci/run does)");
        }
        Process p = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("promtool check metrics failed:\n" + out);
        }
    }
}
