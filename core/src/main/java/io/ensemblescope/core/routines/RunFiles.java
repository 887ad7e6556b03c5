package io.ensemblescope.core.routines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.store.StoreLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of one run directory ({@link StoreLayout}), each written atomically: the snapshot ({@code snapshot.json}
 * and the parameter and optimizer files it names), {@code progress.json} for observers such as the Kubernetes
 * executor, and at the end {@code final.params}, {@code result.json} and the {@code DONE} marker.
 *
 * <p>A snapshot's data files carry its step in their names and are written before the {@code snapshot.json} that
 * names them, so a process killed at any instant leaves the previous snapshot whole; files no snapshot names any more
 * are deleted after each snapshot and when the run starts again.
 */
public final class RunFiles {
    public static final String FINAL_PARAMS = StoreLayout.FINAL_PARAMS;
    public static final String RESULT = StoreLayout.RESULT;
    public static final String DONE = StoreLayout.DONE;
    public static final String PROGRESS = StoreLayout.PROGRESS;
    /** Names of a snapshot written before snapshot files carried their step (no optimizer state then). */
    private static final String LEGACY_PARAMS = "snapshot.params";
    private static final String LEGACY_BEST = "best.params";

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

    /** The last snapshot's state, or null when the run has not written one. */
    Snapshot snapshot() throws IOException {
        Path p = dir.resolve(StoreLayout.SNAPSHOT);
        return Files.exists(p) ? JSON.readValue(p.toFile(), Snapshot.class) : null;
    }

    /**
     * Writes a snapshot: the data files first, then the snapshot.json naming them, then removes the previous
     * snapshot's files. {@code bestParams} is null before the first completed epoch.
     */
    void writeSnapshot(Snapshot state, byte[] params, byte[] bestParams, byte[] optimizer) throws IOException {
        Files.createDirectories(dir);
        String paramsFile = StoreLayout.snapshotParams(state.step());
        String optimizerFile = StoreLayout.optimizerState(state.step());
        String bestFile = bestParams == null ? "" : StoreLayout.bestParams(state.bestEpoch());
        AtomicFiles.write(dir.resolve(paramsFile), params);
        AtomicFiles.write(dir.resolve(optimizerFile), optimizer);
        if (bestParams != null && !Files.exists(dir.resolve(bestFile))) {
            AtomicFiles.write(dir.resolve(bestFile), bestParams); // one epoch's best never changes: written once
        }
        Snapshot named = state.withFiles(paramsFile, bestFile, optimizerFile);
        AtomicFiles.write(dir.resolve(StoreLayout.SNAPSHOT), JSON.writeValueAsBytes(named));
        removeUnnamed(named);
    }

    /** The current parameters the snapshot names. */
    byte[] snapshotParams(Snapshot s) throws IOException {
        return Files.readAllBytes(dir.resolve(s.paramsFile() == null ? LEGACY_PARAMS : s.paramsFile()));
    }

    /** The best epoch's parameters the snapshot names, or null when it names none. */
    byte[] bestParams(Snapshot s) throws IOException {
        String name = s.bestParamsFile() == null ? LEGACY_BEST : s.bestParamsFile();
        return name.isEmpty() ? null : Files.readAllBytes(dir.resolve(name));
    }

    /** The optimizer state the snapshot names, or null for a snapshot written before optimizer state was saved. */
    byte[] optimizerState(Snapshot s) throws IOException {
        return s.optimizerFile() == null ? null : Files.readAllBytes(dir.resolve(s.optimizerFile()));
    }

    /**
     * Removes what a process killed mid-way left here: temp files of interrupted writes and snapshot data files no
     * snapshot names. Only the run's own trainer may call it, before it trains.
     */
    void removeStale() throws IOException {
        AtomicFiles.removeTemps(dir);
        removeUnnamed(snapshot());
    }

    private void removeUnnamed(Snapshot current) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> named = current == null ? Set.of() : current.fileNames();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                p -> StoreLayout.isSnapshotData(p.getFileName().toString()))) {
            for (Path p : files) {
                if (!named.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
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
     * preempted at a step boundary (then the parameters are those after the last of them), and the files holding
     * parameters, best parameters ("" when none) and optimizer state.
     */
    record Snapshot(int epoch, List<EpochRecord> history, int bestEpoch, double bestAccuracy, int epochsSinceBest,
                    long step, int partialBatches, double partialLossSum, String paramsFile, String bestParamsFile,
                    String optimizerFile) {

        Snapshot withFiles(String params, String best, String optimizer) {
            return new Snapshot(epoch, history, bestEpoch, bestAccuracy, epochsSinceBest, step, partialBatches,
                    partialLossSum, params, best, optimizer);
        }

        /** Every data file this snapshot needs (legacy names when it predates named files). */
        Set<String> fileNames() {
            return Stream.of(paramsFile == null ? LEGACY_PARAMS : paramsFile,
                    bestParamsFile == null ? LEGACY_BEST : bestParamsFile, optimizerFile)
                    .filter(n -> n != null && !n.isEmpty()).collect(Collectors.toSet());
        }
    }

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
