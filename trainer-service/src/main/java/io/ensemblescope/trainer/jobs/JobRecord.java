package io.ensemblescope.trainer.jobs;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.store.StoreLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's record in its work directory ({@link StoreLayout}): {@code request.json} when it is accepted, and one
 * outcome marker when it ends — {@code COMMITTED} (the checkpoint it wrote), {@code FAILED} (why) or
 * {@code CANCELLED}. A job with a request and no marker was interrupted by a shutdown or a crash. Trainers read the
 * records back when they start, so jobs outlive the process that ran them: finished ones stay finished (and are
 * listed), interrupted ones can be resumed.
 *
 * @param id the job id (its directory's name)
 * @param request the request as accepted
 * @param state SUCCEEDED, FAILED, CANCELLED or INTERRUPTED
 * @param checkpoint the committed version when SUCCEEDED, else null
 * @param error the reason when FAILED, else empty
 * @param createdMs when the request was recorded
 * @param updatedMs when the outcome was recorded (the request's time when interrupted)
 */
record JobRecord(String id, TrainRequest request, JobState state, ModelRef checkpoint, String error, long createdMs,
                 long updatedMs) {
    /** Failure reasons are kept short: they come back in every ListJobs. */
    private static final int MAX_ERROR_CHARS = 1_000;

    /** Records a newly accepted job. */
    static void create(Path dir, TrainRequest request) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(StoreLayout.REQUEST),
                JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8));
    }

    static void committed(Path dir, ModelRef checkpoint) throws IOException {
        write(dir, StoreLayout.COMMITTED, checkpoint.getName() + "/" + checkpoint.getVersion());
    }

    static void failed(Path dir, String reason) throws IOException {
        write(dir, StoreLayout.FAILED, reason.length() > MAX_ERROR_CHARS ? reason.substring(0, MAX_ERROR_CHARS)
                : reason);
    }

    static void cancelled(Path dir) throws IOException {
        write(dir, StoreLayout.CANCELLED, "");
    }

    private static void write(Path dir, String marker, String content) throws IOException {
        AtomicFiles.write(dir.resolve(marker), content.getBytes(StandardCharsets.UTF_8));
    }

    /** The record in {@code dir}, or null when it holds no request (not a job, or killed before recording one). */
    static JobRecord read(Path dir) throws IOException {
        Path request = dir.resolve(StoreLayout.REQUEST);
        if (!Files.isRegularFile(request)) {
            return null;
        }
        TrainRequest.Builder b = TrainRequest.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(request, StandardCharsets.UTF_8), b);
        String id = dir.getFileName().toString();
        long created = Files.getLastModifiedTime(request).toMillis();
        Path committed = dir.resolve(StoreLayout.COMMITTED);
        if (Files.exists(committed)) {
            String ref = Files.readString(committed, StandardCharsets.UTF_8).trim();
            int slash = ref.lastIndexOf('/');
            ModelRef checkpoint = ModelRef.newBuilder().setName(ref.substring(0, Math.max(0, slash)))
                    .setVersion(ref.substring(slash + 1)).build();
            return new JobRecord(id, b.build(), JobState.SUCCEEDED, checkpoint, "", created, modified(committed));
        }
        Path failed = dir.resolve(StoreLayout.FAILED);
        if (Files.exists(failed)) {
            return new JobRecord(id, b.build(), JobState.FAILED, null, Files.readString(failed,
                    StandardCharsets.UTF_8), created, modified(failed));
        }
        Path cancelled = dir.resolve(StoreLayout.CANCELLED);
        if (Files.exists(cancelled)) {
            return new JobRecord(id, b.build(), JobState.CANCELLED, null, "", created, modified(cancelled));
        }
        return new JobRecord(id, b.build(), JobState.INTERRUPTED, null, "", created, created);
    }

    private static long modified(Path p) throws IOException {
        return Files.getLastModifiedTime(p).toMillis();
    }

    /** Runs of a request: one per Deep-Ensemble member, one for every other method. */
    static int runs(TrainRequest request) {
        return request.getMethod() == Method.DEEP_ENSEMBLE ? Math.max(1, request.getMembers()) : 1;
    }

    /** Epochs each run of the job in {@code dir} has completed, from its snapshots or result. */
    static int[] epochsPerRun(Path dir, TrainRequest request) {
        int[] epochs = new int[runs(request)];
        for (int i = 0; i < epochs.length; i++) {
            try {
                epochs[i] = new RunFiles(StoreLayout.runDir(dir, i)).history().size();
            } catch (IOException e) {
                epochs[i] = 0; // an unreadable result counts as nothing done; the job's state says more
            }
        }
        return epochs;
    }

    /** The event a late subscriber of this ended job receives. */
    TrainEvent endEvent() {
        TrainEvent.Builder e = TrainEvent.newBuilder().setJobId(id).setMember(-1).setTimestampMs(updatedMs);
        return switch (state) {
            case SUCCEEDED -> e.setKind(TrainEvent.Kind.COMPLETED).setCheckpoint(checkpoint)
                    .setMessage("checkpoint " + checkpoint.getName() + "/" + checkpoint.getVersion()).build();
            case FAILED -> e.setKind(TrainEvent.Kind.FAILED).setMessage(error).build();
            case CANCELLED -> e.setKind(TrainEvent.Kind.CANCELLED).setMessage("cancelled").build();
            default -> e.setKind(TrainEvent.Kind.CANCELLED).setMessage("interrupted by a trainer shutdown; resume it "
                    + "with resume_job_id " + id).build();
        };
    }
}
