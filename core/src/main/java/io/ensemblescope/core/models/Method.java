package io.ensemblescope.core.models;

/** The four uncertainty methods (mirrors the contract's Method without depending on it). */
public enum Method {
    SINGLE,
    MC_DROPOUT,
    DEEP_ENSEMBLE,
    BATCH_ENSEMBLE;

    /** Whether k must be at least 2. */
    public boolean isEnsemble() {
        return this == DEEP_ENSEMBLE || this == BATCH_ENSEMBLE;
    }
}
