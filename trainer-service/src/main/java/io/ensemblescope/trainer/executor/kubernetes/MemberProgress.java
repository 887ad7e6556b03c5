package io.ensemblescope.trainer.executor.kubernetes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Optional contract between a member's runner and the Kubernetes executor: the runner (re)writes
 * {@code run-<i>/progress.json} atomically (write a temporary file, then move it) with these fields, and the executor,
 * which shares the checkpoint-store volume, turns changes into STEP and EPOCH events. A runner that writes no such file
 * still trains; its caller then only sees Pending/Running/Succeeded/Failed transitions.
 *
 * <pre>{"epoch": 3, "epochDone": true, "step": 1407, "totalSteps": 4690, "loss": 0.41,
 *  "validationAccuracy": 0.93, "imagesPerSecond": 812.5, "etaSeconds": 96.0}</pre>
 *
 * @param epoch epoch in progress, or just finished when {@code epochDone}; 1-based
 * @param epochDone the epoch has ended: loss and validationAccuracy are that epoch's
 * @param step optimizer steps done in this run so far
 * @param totalSteps optimizer steps planned for this run
 * @param loss mean training cross-entropy over the epoch so far (nats)
 * @param validationAccuracy validation accuracy of the last finished epoch, in [0, 1]
 * @param imagesPerSecond training throughput
 * @param etaSeconds estimated seconds until the run ends
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberProgress(int epoch, boolean epochDone, long step, long totalSteps, float loss,
                             float validationAccuracy, float imagesPerSecond, float etaSeconds) {

    public static final String FILE_NAME = "progress.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The progress in {@code runDir}, or empty when the runner has not written any (or is mid-rename). */
    public static Optional<MemberProgress> read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), MemberProgress.class));
        } catch (IOException e) {
            // A torn or foreign file is not worth failing a job over; the next poll reads it again.
            return Optional.empty();
        }
    }

    /** Writes this progress atomically into {@code runDir}, as a member runner should. */
    public void write(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path tmp = Files.createTempFile(runDir, FILE_NAME, ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, runDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
