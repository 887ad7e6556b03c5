package io.ensemblescope.core.fused;

import ai.djl.ndarray.NDArray;

/** One step of a fused forward over member-stacked activations [B, g·C, …]; its results live in x's manager. */
@FunctionalInterface
interface FusedOp {
    NDArray apply(NDArray x);

    default FusedOp then(FusedOp next) {
        return x -> next.apply(apply(x));
    }
}
