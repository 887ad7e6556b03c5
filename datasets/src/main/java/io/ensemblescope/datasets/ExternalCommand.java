package io.ensemblescope.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a registry client (npm, apt-get, dpkg-deb) in a directory, its output kept in a log for error messages. */
final class ExternalCommand {
    private static final int TAIL_CHARS = 600;

    private ExternalCommand() {
    }

    /** Runs the command; returns its standard output, or throws with the command, exit code and output tail. */
    static String run(Path dir, long timeoutSeconds, List<String> command) throws IOException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Path err = Files.createTempFile(dir, "cmd", ".err");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new IOException("'" + String.join(" ", command) + "' could not start: " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' timed out after " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            String tail = (Files.readString(err, StandardCharsets.UTF_8) + stdout).strip();
            if (tail.length() > TAIL_CHARS) {
                tail = "..." + tail.substring(tail.length() - TAIL_CHARS);
            }
            throw new IOException("'" + String.join(" ", command) + "' exited with " + process.exitValue() + ": "
                    + tail.replace('\n', ' '));
        }
        return stdout;
    }
}
