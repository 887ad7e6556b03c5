package io.ensemblescope.core.routines;

import io.ensemblescope.core.random.SeededRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.datasets.ImageDataset;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One optimizer step on one planned batch: gathers it, runs forward and backward, applies the optimizer. A tiled
 * BatchEnsemble batch is repeated k times with its targets, so the loss is the mean cross-entropy over members.
 * Unaugmented batches are gathered on the native side from the split copied there once ({@link NativeSplit});
 * augmented ones in Java ({@link Batcher}).
 */
final class TrainingStep {
    private final Block block;
    private final ParameterStore parameters;
    private final SoftmaxCrossEntropyLoss crossEntropy = new SoftmaxCrossEntropyLoss();
    private final ResumableOptimizer optimizer;
    private final List<Parameter> trainable;
    private final NativeSplit split;
    private final Batcher batcher;
    private final BatchPlan plan;
    private final long[] sample;
    private final int imageSize;
    private final float[] x;
    private final int[] y;

    TrainingStep(Block block, ResumableOptimizer optimizer, NDManager manager, ImageDataset train, boolean augment,
                 BatchPlan plan) {
        this.block = block;
        this.parameters = new ParameterStore(manager, false);
        this.optimizer = optimizer;
        this.trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        this.split = augment ? null : new NativeSplit(train, manager);
        this.batcher = augment ? new Batcher(train, true) : null;
        this.plan = plan;
        this.sample = train.sampleShape();
        this.imageSize = train.imageBytes();
        this.x = augment ? new float[plan.batchSize() * imageSize] : null;
        this.y = augment ? new int[plan.batchSize()] : null;
    }

    /** Trains batch {@code batch} of an epoch whose row order is {@code order}; returns its loss. */
    float run(int[] order, int batch, SeededRandom random) {
        int b = plan.size(batch);
        try (NDManager sub = parameters.getManager().newSubManager()) {
            NDArray xs;
            NDArray ys;
            if (split != null) {
                NDList rows = split.batch(order, plan.from(batch), b, sub);
                xs = rows.get(0);
                ys = rows.get(1);
            } else {
                batcher.fill(order, plan.from(batch), b, x, y, random);
                xs = sub.create(FloatBuffer.wrap(x, 0, b * imageSize), batchShape(b));
                ys = sub.create(Arrays.copyOf(y, b)).toType(DataType.INT64, false);
            }
            if (plan.tiles()) {
                xs = EnsembleNetwork.tile(xs, plan.members());
                ys = EnsembleNetwork.tile(ys, plan.members());
            }
            float value;
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray logits = block.forward(parameters, new NDList(xs), true).singletonOrThrow();
                NDArray loss = crossEntropy.evaluate(new NDList(ys), new NDList(logits));
                gc.backward(loss);
                value = loss.getFloat();
            }
            // The update runs after the collector closed: gradient recording is off, as optimizers need.
            optimizer.step(trainable);
            return value;
        }
    }

    private Shape batchShape(int b) {
        long[] dims = new long[sample.length + 1];
        dims[0] = b;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return new Shape(dims);
    }
}
