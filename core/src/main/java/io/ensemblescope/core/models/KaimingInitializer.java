package io.ensemblescope.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import io.ensemblescope.core.random.SeededRandom;

/**
 * He-normal initialisation for ReLU networks, std = sqrt(2 / fan_in), drawn from the model's seeded stream so a
 * seed fixes the initial weights whatever thread builds the model.
 */
final class KaimingInitializer implements Initializer {
    private final SeededRandom random;

    KaimingInitializer(SeededRandom random) {
        this.random = random;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = shape.dimension() > 1 ? shape.size() / shape.get(0) : shape.size();
        float std = (float) Math.sqrt(2.0 / fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * (float) random.nextGaussian();
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
