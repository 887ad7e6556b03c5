package io.ensemblescope.core.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import io.ensemblescope.core.random.SeededRandom;

/** Draws fast weights from N(1, σ²) or random signs, from the model's seeded stream (reproducible across threads). */
public final class FastWeightInitializer implements Initializer {
    private final FastWeightInit kind;
    private final float std;
    private final SeededRandom random;

    public FastWeightInitializer(FastWeightInit kind, float std, SeededRandom random) {
        this.kind = kind;
        this.std = std;
        this.random = random;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = kind == FastWeightInit.NORMAL
                    ? 1f + std * (float) random.nextGaussian()
                    : (random.nextBoolean() ? 1f : -1f);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
