package io.ensemblescope.core.models;

import ai.djl.nn.Block;

/** A network family buildable as single, MC Dropout, Deep-Ensemble member or BatchEnsemble(k). */
public interface Architecture {
    String name();

    /** Shape of one input sample, e.g. [1, 28, 28]. */
    long[] inputShape();

    int classes();

    /** Largest BatchEnsemble rank every layer allows: min(in, out) of the narrowest layer. */
    int maxRank();

    /** Builds one block: a plain network, or the BatchEnsemble network taking member-major [k·B, …] input. */
    Block build(LayerFactory layers);
}
