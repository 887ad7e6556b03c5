package io.ensemblescope.trainer.jobs;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.TrainRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What {@code resume_job_id} may do: continue an unfinished job of this store with the request it was started with,
 * nothing else. A client once resumed a finished job under a new model name, which rewrote that job's record and
 * committed its weights a second time under the new name.
 */
final class Resumption {
    private Resumption() {}

    /**
     * The job's original request, with {@code resume_job_id} set.
     *
     * @param asked the client's request: only resume_job_id set, or equal to the original in every other field
     * @throws NoSuchElementException when the job has no record in this store
     * @throws IllegalStateException  when the job already committed its checkpoint, or the request differs
     */
    static TrainRequest original(TrainRequest asked, Path work) throws IOException {
        String id = asked.getResumeJobId();
        Path record = work.resolve(JobManager.REQUEST_FILE);
        if (!Files.isRegularFile(record)) {
            throw new NoSuchElementException("resume_job_id: job " + id + " has no record in this trainer's store");
        }
        if (Files.exists(work.resolve(JobManager.COMMITTED_FILE))) {
            throw new IllegalStateException("resume_job_id: job " + id + " has finished and committed its checkpoint;"
                    + " start a new job instead");
        }
        TrainRequest.Builder stored = TrainRequest.newBuilder();
        JsonFormat.parser().merge(Files.readString(record), stored);
        TrainRequest original = stored.clearResumeJobId().build();
        TrainRequest rest = asked.toBuilder().clearResumeJobId().build();
        if (!rest.equals(TrainRequest.getDefaultInstance()) && !rest.equals(original)) {
            throw new IllegalStateException("resume_job_id: the request differs from job " + id + "'s original in "
                    + firstDifference(rest, original) + "; send only resume_job_id, or the original request");
        }
        return original.toBuilder().setResumeJobId(id).build();
    }

    private static String firstDifference(TrainRequest a, TrainRequest b) {
        for (FieldDescriptor f : TrainRequest.getDescriptor().getFields()) {
            if (!Objects.equals(a.getField(f), b.getField(f)) || a.hasField(f) != b.hasField(f)) {
                return f.getName();
            }
        }
        return "unknown fields";
    }
}
