package io.ensemblescope.core.models;

import io.ensemblescope.core.layers.BatchEnsembleOptions;

/**
 * Everything needed to build a network of one method from one architecture.
 *
 * @param architecture registered architecture name, e.g. "mnist-mlp"
 * @param method the method
 * @param members k (1 for SINGLE and MC_DROPOUT)
 * @param dropoutRate rate of the architecture's dropout layers (kept on at inference for MC_DROPOUT)
 * @param mcSamples default T for MC_DROPOUT serving
 * @param batchEnsemble BatchEnsemble options (null for other methods)
 */
public record NetworkSpec(String architecture, Method method, int members, float dropoutRate, int mcSamples,
                          BatchEnsembleOptions batchEnsemble) {
    public NetworkSpec {
        if (method.isEnsemble() && members < 2) {
            throw new IllegalArgumentException("members must be >= 2 for " + method + ", got " + members);
        }
        if (!method.isEnsemble()) {
            members = 1;
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout_rate must be in [0, 1), got " + dropoutRate);
        }
        if (mcSamples <= 0) {
            throw new IllegalArgumentException("mc_samples must be > 0, got " + mcSamples);
        }
        if (method == Method.BATCH_ENSEMBLE) {
            if (batchEnsemble == null) {
                batchEnsemble = BatchEnsembleOptions.defaults(members);
            }
            if (batchEnsemble.members() != members) {
                throw new IllegalArgumentException("batch_ensemble members " + batchEnsemble.members()
                        + " differ from members " + members);
            }
        } else {
            batchEnsemble = null;
        }
    }

    /** Blocks a checkpoint holds: k replicas for a Deep Ensemble, one network otherwise. */
    public int replicas() {
        return method == Method.DEEP_ENSEMBLE ? members : 1;
    }
}
