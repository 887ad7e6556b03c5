package io.ensemblescope.cli;

import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.core.engine.NativeEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code escope} as a user runs it: a separate JVM on the cli classpath ({@code java -cp … Escope args}), stdin
 * closed, stdout and stderr piped to files, so exit codes, streams and what a pipe receives are the real ones.
 */
final class EscopeProcess {
    static final long TIMEOUT_SECONDS = 180;

    /** What one run left behind. */
    record Result(List<String> args, int exit, String out, String err) {
        @Override
        public String toString() {
            return "escope " + String.join(" ", args) + " → exit " + exit + "\nstderr: " + err + "\nstdout: "
                    + (out.length() > 2000 ? out.substring(0, 2000) + "…" : out);
        }
    }

    private EscopeProcess() {}

    static Result run(List<String> args) throws IOException, InterruptedException {
        return run(args, List.of(), Map.of());
    }

    /**
     * @param jvmOptions extra JVM options (e.g. a class-loading log)
     * @param env extra environment variables; a null value removes the variable
     */
    static Result run(List<String> args, List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                "-Djava.awt.headless=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Escope.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile("escope-out", ".txt");
        Path err = Files.createTempFile("escope-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    new File("/dev/null"))).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove(ErrorHandling.DEBUG_ENV);
            pb.environment().remove(ProgressBar.ENV);
            pb.environment().put("OMP_WAIT_POLICY", NativeEnvironment.OMP_WAIT_POLICY);
            pb.environment().put("GLIBC_TUNABLES", NativeEnvironment.GLIBC_TUNABLES);
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("escope " + args + " still running after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(List.copyOf(args), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
