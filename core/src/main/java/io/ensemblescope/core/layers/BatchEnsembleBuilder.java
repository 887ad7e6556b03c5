package io.ensemblescope.core.layers;

import ai.djl.training.initializer.Initializer;

/** What every BatchEnsemble layer's builder takes: the ensemble options and the seeded fast-weight initializer. */
public abstract class BatchEnsembleBuilder<T extends BatchEnsembleBuilder<T>> {
    BatchEnsembleOptions options;
    Initializer fastInit;

    public T setOptions(BatchEnsembleOptions options) {
        this.options = options;
        return self();
    }

    /** The fast-weight initializer (seeded by the model builder). */
    public T setFastWeightInitializer(Initializer init) {
        this.fastInit = init;
        return self();
    }

    protected abstract T self();

    /** Throws unless the layer's size, the options and the initializer are set. */
    void requireComplete(String sizeName, long size) {
        if (size <= 0 || options == null || fastInit == null) {
            throw new IllegalStateException(sizeName + ", options and fast-weight initializer are required");
        }
    }
}
