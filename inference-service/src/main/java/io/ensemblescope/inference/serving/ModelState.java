package io.ensemblescope.inference.serving;

/** Where a model stands in the repository. */
public enum ModelState {
    /** In the checkpoint store, not in memory. */
    AVAILABLE,
    LOADING,
    READY,
    FAILED_TO_LOAD
}
