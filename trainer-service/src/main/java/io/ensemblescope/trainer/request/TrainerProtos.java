package io.ensemblescope.trainer.request;

import io.ensemblescope.api.v1.BatchMode;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.core.layers.FastWeightInit;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.datasets.Subset;

/**
 * The trainer's enum mappings between the contract and core, each an exhaustive switch without {@code default}, so
 * a value added on either side fails to compile here instead of failing at run time. It lives with
 * {@link TrainRequests}, below the job manager and the executors, because both keep and re-read jobs as wire
 * {@code TrainRequest}s ({@code request.json}).
 */
public final class TrainerProtos {
    private TrainerProtos() {}

    public static io.ensemblescope.api.v1.Method toProto(Method m) {
        return switch (m) {
            case SINGLE -> io.ensemblescope.api.v1.Method.SINGLE;
            case MC_DROPOUT -> io.ensemblescope.api.v1.Method.MC_DROPOUT;
            case DEEP_ENSEMBLE -> io.ensemblescope.api.v1.Method.DEEP_ENSEMBLE;
            case BATCH_ENSEMBLE -> io.ensemblescope.api.v1.Method.BATCH_ENSEMBLE;
        };
    }

    /** @throws IllegalArgumentException naming {@code method} when it is unspecified or unknown */
    public static Method method(io.ensemblescope.api.v1.Method m) {
        return switch (m) {
            case SINGLE -> Method.SINGLE;
            case MC_DROPOUT -> Method.MC_DROPOUT;
            case DEEP_ENSEMBLE -> Method.DEEP_ENSEMBLE;
            case BATCH_ENSEMBLE -> Method.BATCH_ENSEMBLE;
            case METHOD_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException(
                    "method: must be SINGLE, MC_DROPOUT, DEEP_ENSEMBLE or BATCH_ENSEMBLE, got " + m);
        };
    }

    /** The training split: an unspecified subset means the training set. */
    public static Subset subset(io.ensemblescope.api.v1.Subset s) {
        return switch (s) {
            case TRAIN, SUBSET_UNSPECIFIED -> Subset.TRAIN;
            case TEST -> Subset.TEST;
            case UNRECOGNIZED -> throw new IllegalArgumentException("dataset.subset: must be TRAIN or TEST");
        };
    }

    /** An unspecified initialisation means N(1, σ²). */
    public static FastWeightInit fastWeightInit(io.ensemblescope.api.v1.FastWeightInit i) {
        return switch (i) {
            case NORMAL, FAST_WEIGHT_INIT_UNSPECIFIED -> FastWeightInit.NORMAL;
            case RANDOM_SIGN -> FastWeightInit.RANDOM_SIGN;
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "batch_ensemble.init: must be NORMAL or RANDOM_SIGN");
        };
    }

    /** Whether BatchEnsemble members each see a slice of the batch; unspecified means tiled. */
    public static boolean splitBatch(BatchMode mode) {
        return switch (mode) {
            case SPLIT -> true;
            case TILE, BATCH_MODE_UNSPECIFIED -> false;
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "batch_ensemble.batch_mode: must be TILE or SPLIT");
        };
    }

    /** An unspecified optimizer means Adam. */
    public static OptimizerConfig.Kind optimizer(OptimizerKind k) {
        return switch (k) {
            case SGD -> OptimizerConfig.Kind.SGD;
            case ADAM, OPTIMIZER_KIND_UNSPECIFIED -> OptimizerConfig.Kind.ADAM;
            case ADAMW -> OptimizerConfig.Kind.ADAMW;
            case UNRECOGNIZED -> throw new IllegalArgumentException("optimizer.kind: must be SGD, ADAM or ADAMW");
        };
    }
}
