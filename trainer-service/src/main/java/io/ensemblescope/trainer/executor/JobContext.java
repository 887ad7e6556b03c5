package io.ensemblescope.trainer.executor;

import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.store.StoreLayout;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One job as an executor sees it.
 *
 * @param jobId the trainer's job id
 * @param request the validated request
 * @param workDir the job's work directory in the checkpoint store (shared storage on Kubernetes)
 * @param runs how many runs: k for a Deep Ensemble, 1 otherwise
 * @param events progress sink; events carry job id and member
 * @param cancelled true once the job was cancelled: stop at the next step boundary
 */
public record JobContext(String jobId, TrainRequest request, Path workDir, int runs, Consumer<TrainEvent> events,
                         BooleanSupplier cancelled) {

    /** Directory of run {@code i}. */
    public Path runDir(int i) {
        return StoreLayout.runDir(workDir, i);
    }
}
