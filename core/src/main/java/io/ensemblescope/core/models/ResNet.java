package io.ensemblescope.core.models;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * CIFAR ResNets with basic blocks and a 3×3 stem without max-pool: ResNet-18 (stages 64-128-256-512, two blocks
 * each) and the CPU-sized ResNet-20 (16-32-64, three blocks each). Dropout sits before the classifier.
 */
public final class ResNet implements Architecture {
    private final String name;
    private final int[] widths;
    private final int[] blocks;
    private final int classes;

    public ResNet(String name, int[] widths, int[] blocks, int classes) {
        this.name = name;
        this.widths = widths.clone();
        this.blocks = blocks.clone();
        this.classes = classes;
    }

    public static ResNet resnet18(int classes) {
        return new ResNet("resnet18", new int[] {64, 128, 256, 512}, new int[] {2, 2, 2, 2}, classes);
    }

    public static ResNet resnet20(int classes) {
        return new ResNet("resnet20", new int[] {16, 32, 64}, new int[] {3, 3, 3}, classes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] inputShape() {
        return new long[] {3, 32, 32};
    }

    @Override
    public int classes() {
        return classes;
    }

    /** The stem sees 3 input channels, so rank is at most 3. */
    @Override
    public int maxRank() {
        return (int) Math.min(inputShape()[0], Math.min(widths[0], classes));
    }

    @Override
    public Block build(LayerFactory layers) {
        SequentialBlock net = new SequentialBlock()
                .add(layers.conv(widths[0], 3, 1, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        int in = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(layers, in, widths[stage], stride));
                in = widths[stage];
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(layers.dropout())
                .add(layers.linear(classes));
    }

    private static Block basicBlock(LayerFactory layers, int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(layers.conv(out, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(layers.conv(out, 3, 1, 1))
                .add(BatchNorm.builder().build());
        SequentialBlock shortcut = new SequentialBlock();
        if (stride != 1 || in != out) {
            shortcut.add(layers.conv(out, 1, stride, 0)).add(BatchNorm.builder().build());
        } else {
            shortcut.add(Blocks.identityBlock());
        }
        ParallelBlock residual = new ParallelBlock(
                outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                List.of(main, shortcut));
        return new SequentialBlock().add(residual).add(Activation.reluBlock());
    }
}
