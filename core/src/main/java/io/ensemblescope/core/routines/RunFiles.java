package io.ensemblescope.core.routines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ensemblescope.core.checkpoint.AtomicFiles;
import io.ensemblescope.core.checkpoint.EpochRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one run directory, each written atomically: the epoch snapshot (current and best parameters plus
 * {@code snapshot.json}), {@code progress.json} for observers such as the Kubernetes executor, and at the end
 * {@code final.params}, {@code result.json} and the {@code DONE} marker.
 */
public final class RunFiles {
    public static final String FINAL_PARAMS = "final.params";
    public static final String RESULT = "result.json";
    public static final String DONE = "DONE";
    public static final String PROGRESS = "progress.json";
    static final String SNAPSHOT = "snapshot.json";
    static final String SNAPSHOT_PARAMS = "snapshot.params";
    static final String BEST_PARAMS = "best.params";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public RunFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public boolean done() {
        return Files.exists(dir.resolve(DONE));
    }

    public Path finalParams() {
        return dir.resolve(FINAL_PARAMS);
    }

    public RunResult result() throws IOException {
        return JSON.readValue(dir.resolve(RESULT).toFile(), RunResult.class);
    }

    /**
     * Epochs completed so far: the finished run's history, else the last snapshot's, else none. Read by observers in
     * other processes.
     */
    public List<EpochRecord> history() throws IOException {
        if (done()) {
            return result().history();
        }
        try {
            Snapshot s = snapshot();
            return s == null ? List.of() : s.history();
        } catch (IOException e) {
            return List.of(); // being replaced right now: the next poll reads it
        }
    }

    /** The last completed epoch's state, or null when the run has not completed an epoch. */
    Snapshot snapshot() throws IOException {
        Path p = dir.resolve(SNAPSHOT);
        return Files.exists(p) ? JSON.readValue(p.toFile(), Snapshot.class) : null;
    }

    void writeSnapshot(Snapshot s, byte[] params, byte[] bestParams) throws IOException {
        Files.createDirectories(dir);
        // Parameters first, then the JSON that points at them: a crash between leaves the previous snapshot whole.
        AtomicFiles.write(dir.resolve(SNAPSHOT_PARAMS), params);
        AtomicFiles.write(dir.resolve(BEST_PARAMS), bestParams);
        AtomicFiles.write(dir.resolve(SNAPSHOT), JSON.writeValueAsBytes(s));
    }

    byte[] snapshotParams() throws IOException {
        return Files.readAllBytes(dir.resolve(SNAPSHOT_PARAMS));
    }

    byte[] bestParams() throws IOException {
        return Files.readAllBytes(dir.resolve(BEST_PARAMS));
    }

    void writeProgress(Progress p) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(PROGRESS), JSON.writeValueAsBytes(p));
    }

    /** Reads progress.json, or null when absent or being replaced. */
    public Progress progress() {
        try {
            Path p = dir.resolve(PROGRESS);
            return Files.exists(p) ? JSON.readValue(p.toFile(), Progress.class) : null;
        } catch (IOException e) {
            return null;
        }
    }

    void finish(byte[] params, RunResult result) throws IOException {
        AtomicFiles.write(dir.resolve(FINAL_PARAMS), params);
        AtomicFiles.write(dir.resolve(RESULT), JSON.writeValueAsBytes(result));
        AtomicFiles.write(dir.resolve(DONE), new byte[0]);
    }

    /**
     * State after the last completed epoch, plus the batches already trained of the next one when the run was
     * preempted at a step boundary (then the parameters are those after the last of them).
     */
    record Snapshot(int epoch, List<EpochRecord> history, int bestEpoch, double bestAccuracy, int epochsSinceBest,
                    long step, int partialBatches, double partialLossSum) {}

    /**
     * Progress of a run for observers outside the process (the Kubernetes executor polls it on shared storage).
     *
     * @param epoch current epoch, 1-based
     * @param epochs epoch budget
     * @param step optimizer steps done
     * @param totalSteps optimizer steps planned
     * @param loss mean training loss of the current epoch so far
     * @param validationAccuracy last completed epoch's validation accuracy (NaN before the first)
     * @param imagesPerSecond current throughput
     * @param etaSeconds estimated seconds left
     */
    public record Progress(int epoch, int epochs, long step, long totalSteps, double loss, double validationAccuracy,
                           double imagesPerSecond, double etaSeconds) {}
}
