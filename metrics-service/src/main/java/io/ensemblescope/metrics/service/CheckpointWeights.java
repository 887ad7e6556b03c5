package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads a checkpoint's members as effective parameters for weight-space diversity: per member an ordered map layer
 * name → flattened parameters (BatchEnsemble: W ∘ (s_i r_iᵀ) and b_i per layer via
 * {@link io.ensemblescope.metrics.math.BatchEnsembleWeights}; Deep Ensemble: the member's own parameters).
 */
@FunctionalInterface
public interface CheckpointWeights {
    /**
     * @throws java.util.NoSuchElementException      for an unknown checkpoint
     * @throws UnsupportedOperationException          when this service cannot read checkpoints (→ UNIMPLEMENTED)
     */
    MemberWeights read(ModelRef checkpoint) throws IOException;

    /** A checkpoint's members: the resolved ref, its method, per member layer → parameters, and what was counted. */
    record MemberWeights(ModelRef checkpoint, Method method, List<? extends Map<String, float[]>> members, String note) {}

    /**
     * For a metrics service deployed without access to the checkpoint store (evaluation only): every call is
     * UNIMPLEMENTED with a message saying so. MetricsServer wires {@link StoreCheckpointWeights}.
     */
    static CheckpointWeights unimplemented() {
        return ref -> {
            throw new UnsupportedOperationException("WeightDiversity: this metrics service has no checkpoint store "
                    + "(start it with --store)");
        };
    }
}
