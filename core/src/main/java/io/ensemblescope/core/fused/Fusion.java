package io.ensemblescope.core.fused;

/** How one weight layer of k members runs at serving time. */
public enum Fusion {
    /**
     * One plain op over member-stacked features: the k member weights concatenated (shared input: the first layer)
     * or, for a linear layer on stacked input, one block-diagonal [k·out, k·in] matrix. Memory k·|W| or k²·|W|.
     */
    DENSE,
    /** One grouped convolution with groups = k over the member-stacked input (a linear layer as a 1×1 conv1d). k·|W|. */
    GROUPED,
    /** BatchEnsemble's own form, scale → shared op → scale: |W| plus the fast weights, three ops and reshapes. */
    FACTORED
}
