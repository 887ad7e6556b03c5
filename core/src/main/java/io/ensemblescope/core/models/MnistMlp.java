package io.ensemblescope.core.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;

/** The paper's MNIST MLP: 784-64-32-16-10, ReLU, dropout after each hidden layer. */
public final class MnistMlp implements Architecture {
    public static final String NAME = "mnist-mlp";
    private static final long[] HIDDEN = {64, 32, 16};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long[] inputShape() {
        return new long[] {1, 28, 28};
    }

    @Override
    public int classes() {
        return 10;
    }

    @Override
    public int maxRank() {
        return (int) Math.min(HIDDEN[HIDDEN.length - 1], classes());
    }

    @Override
    public Block build(LayerFactory layers) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (long units : HIDDEN) {
            net.add(layers.linear(units)).add(Activation.reluBlock()).add(layers.dropout());
        }
        return net.add(layers.linear(classes()));
    }
}
