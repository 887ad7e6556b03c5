package io.ensemblescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.datasets.ImageDataset;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PyTorch eager side of {@code escope bench training --reference pytorch}: one long-lived Python process running
 * bench/pytorch_training_reference.py, asked for one training run at a time so that it never trains while the JVM
 * does. It trains on the very split the JVM trains on, exported once as raw bytes.
 */
final class PytorchReference implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;
    private final Path dataRoot;
    private final int threads;

    private PytorchReference(Process process, Path dataRoot, int threads) {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.dataRoot = dataRoot;
        this.threads = threads;
    }

    /** Starts {@code python script --serve} with the JVM's OpenMP wait policy and {@code threads} threads. */
    static PytorchReference start(String python, Path script, int threads) throws IOException {
        if (!Files.isRegularFile(script)) {
            throw new IOException("reference script not found: " + script);
        }
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--serve");
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new PytorchReference(pb.start(), Files.createTempDirectory("escope-reference"), threads);
    }

    /** Writes a split as x.u8, y.u8 and meta.json for the script; returns its directory. */
    Path export(String name, ImageDataset split) throws IOException {
        Path dir = Files.createDirectories(dataRoot.resolve(name));
        Files.write(dir.resolve("x.u8"), split.pixels());
        byte[] labels = new byte[split.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) split.label(i);
        }
        Files.write(dir.resolve("y.u8"), labels);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("n", split.size());
        meta.put("c", split.channels());
        meta.put("h", split.height());
        meta.put("w", split.width());
        meta.put("classes", split.numClasses());
        meta.put("mean", split.normalization().mean());
        meta.put("std", split.normalization().std());
        JSON.writeValue(dir.resolve("meta.json").toFile(), meta);
        return dir;
    }

    /**
     * Trains one run in the reference; returns its last epoch's images per second and per CPU-second. With a
     * {@code trace} path, torch.profiler records the last epoch's steps into it (chrome trace), which slows that
     * epoch: its rates then measure the profiled run.
     */
    double[] rates(Path data, String arch, String method, int k, int epochs, int batch, float dropout,
                           boolean augment, Path trace) throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("data", data.toString());
        request.put("arch", arch);
        request.put("method", method);
        request.put("k", k);
        request.put("epochs", epochs);
        request.put("batch", batch);
        request.put("dropout", dropout);
        request.put("augment", augment);
        request.put("threads", threads);
        if (trace != null) {
            request.put("profile", trace.toAbsolutePath().toString());
        }
        requests.write(JSON.writeValueAsString(request));
        requests.newLine();
        requests.flush();
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the PyTorch reference exited (see its stderr above)");
        }
        JsonNode answer = JSON.readTree(line);
        if (answer.has("error")) {
            throw new IOException("the PyTorch reference failed: " + answer.get("error").asText());
        }
        return new double[] {answer.get("images_per_second").asDouble(),
                answer.get("images_per_cpu_second").asDouble()};
    }

    @Override
    public void close() throws IOException {
        requests.close();
        process.destroy();
        try (var files = Files.walk(dataRoot)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
