package io.ensemblescope.core.routines;

import io.ensemblescope.core.random.SeededRandom;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.datasets.ImageDataset;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One optimizer step on one planned batch: gathers it, runs forward and backward, applies the optimizer. A tiled
 * BatchEnsemble batch is repeated k times with its targets, so the loss is the mean cross-entropy over members.
 */
final class TrainingStep {
    private final Block block;
    private final ParameterStore parameters;
    private final SoftmaxCrossEntropyLoss crossEntropy = new SoftmaxCrossEntropyLoss();
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
        parameters.setParameterServer(new LocalParameterServer(optimizer), new Device[] {manager.getDevice()});
        this.batcher = new Batcher(train, augment);
        this.plan = plan;
        this.sample = train.sampleShape();
        this.imageSize = train.imageBytes();
        this.x = new float[plan.batchSize() * imageSize];
        this.y = new int[plan.batchSize()];
    }

    /** Trains batch {@code batch} of an epoch whose row order is {@code order}; returns its loss. */
    float run(int[] order, int batch, SeededRandom random) {
        int b = plan.size(batch);
        batcher.fill(order, plan.from(batch), b, x, y, random);
        try (NDManager sub = parameters.getManager().newSubManager()) {
            NDArray xs = sub.create(FloatBuffer.wrap(x, 0, b * imageSize), batchShape(b));
            NDArray ys = sub.create(Arrays.copyOf(y, b)).toType(DataType.INT64, false);
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
            parameters.updateAllParameters();
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
