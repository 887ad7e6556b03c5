package io.ensemblescope.inference.serving;

/** Where a model stands in the repository. */
public enum ModelState {
    /** In the checkpoint store, not in memory. */
    AVAILABLE,
    LOADING,
    READY,
    FAILED_TO_LOAD,
    /** In the store but unusable (corrupt or partial manifest); the rest of the store is unaffected. */
    UNAVAILABLE
}
