package io.ensemblescope.core.models;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.layers.BatchEnsembleConv2d;
import io.ensemblescope.core.layers.BatchEnsembleLinear;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.random.SeededRandom;
import java.util.Set;

/**
 * What a network of one method costs to store and to run, counted from its architecture (no timing):
 * trainable parameters shared by all members and those of each member (a Deep Ensemble shares nothing, a
 * BatchEnsemble shares W and BatchNorm and keeps r, s and a bias per member, MC Dropout's T passes share everything),
 * bytes of every stored float32 array (running statistics included), and forward FLOPs per input sample for all
 * members together (T passes for MC Dropout).
 *
 * <p>FLOPs count 2 per multiply-accumulate of linear and convolution layers, their bias adds, and BatchEnsemble's
 * elementwise scalings (x ∘ r, y ∘ s, the rank sum and the per-member bias); normalization, activations, dropout,
 * pooling and residual adds are not counted.
 *
 * @param members members served: k, or T for MC Dropout, 1 for a single model
 */
public record NetworkCost(long sharedParameters, long perMemberParameters, int members, long storedValues,
                          double flopsPerSample) {
    private static final Set<String> FAST_WEIGHTS = Set.of("r", "s", "bias");

    /** Trainable parameters held: shared + members × per member (a BatchEnsemble's k, a Deep Ensemble's k). */
    public long parameters() {
        return sharedParameters + (long) members * perMemberParameters;
    }

    /**
     * Forward FLOPs per input sample of one training run of {@code method}: one pass of one member (a Deep-Ensemble
     * run trains one member, MC Dropout one pass, not its T), or a BatchEnsemble's whole forward over its k tiles.
     */
    public double runForwardFlopsPerSample(Method method) {
        return method == Method.BATCH_ENSEMBLE ? flopsPerSample : flopsPerSample / members;
    }

    /** Bytes of the stored arrays (float32). */
    public long weightBytes() {
        return storedValues * Float.BYTES;
    }

    /**
     * @param mcSamples T for MC Dropout (0: the spec's default); ignored for the other methods
     */
    public static NetworkCost of(NetworkSpec spec, int classes, int mcSamples) {
        Architecture arch = Architectures.get(spec.architecture(), classes);
        // One replica tells all: a Deep Ensemble's members are alike, and this runs before every training run.
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            Block replica = EnsembleNetwork.buildReplica(spec, arch, manager, new SeededRandom(0L));
            int tile = spec.method() == Method.BATCH_ENSEMBLE ? spec.members() : 1;
            long[] dims = new long[arch.inputShape().length + 1];
            dims[0] = tile;
            System.arraycopy(arch.inputShape(), 0, dims, 1, dims.length - 1);
            double flops = flops(replica, new Shape(dims));
            long[] counts = new long[3]; // shared, per-member (all members), stored values
            count(replica, counts);
            return switch (spec.method()) {
                case SINGLE -> new NetworkCost(counts[0], 0, 1, counts[2], flops);
                case MC_DROPOUT -> {
                    int t = mcSamples > 0 ? mcSamples : spec.mcSamples();
                    yield new NetworkCost(counts[0], 0, t, counts[2], t * flops);
                }
                case DEEP_ENSEMBLE -> new NetworkCost(0, counts[0], spec.members(),
                        (long) spec.members() * counts[2], spec.members() * flops);
                case BATCH_ENSEMBLE -> new NetworkCost(counts[0], counts[1] / spec.members(), spec.members(),
                        counts[2], flops);
            };
        }
    }

    /** Adds trainable shared values to counts[0], BatchEnsemble fast weights to counts[1], all values to counts[2]. */
    private static void count(Block block, long[] counts) {
        boolean batchEnsemble = block instanceof BatchEnsembleLinear || block instanceof BatchEnsembleConv2d;
        for (var p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            long size = parameter.getArray().getShape().size();
            counts[2] += size;
            Parameter.Type type = parameter.getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            counts[batchEnsemble && FAST_WEIGHTS.contains(parameter.getName()) ? 1 : 0] += size;
        }
        block.getChildren().values().forEach(child -> count(child, counts));
    }

    /** FLOPs of {@code block} on input {@code in} (its leading axis is the rows of one sample: 1, or k tiled). */
    private static double flops(Block block, Shape in) {
        if (block instanceof SequentialBlock) {
            double sum = 0;
            Shape shape = in;
            for (Block child : block.getChildren().values()) {
                sum += flops(child, shape);
                shape = child.getOutputShapes(new Shape[] {shape})[0];
            }
            return sum;
        }
        if (block instanceof ParallelBlock) {
            return block.getChildren().values().stream().mapToDouble(child -> flops(child, in)).sum();
        }
        Shape weight = weightShape(block);
        if (weight == null) {
            return 0;
        }
        Shape out = block.getOutputShapes(new Shape[] {in})[0];
        long rows = in.get(0);
        long inPerRow = in.size() / rows;
        long outPerRow = out.size() / rows;
        long window = weight.size() / weight.get(0) / weight.get(1); // kh·kw (1 for linear)
        long fanIn = weight.get(1) * window;
        if (block instanceof BatchEnsembleLinear || block instanceof BatchEnsembleConv2d) {
            BatchEnsembleOptions o = block instanceof BatchEnsembleLinear l ? l.options()
                    : ((BatchEnsembleConv2d) block).options();
            int rank = o.rank();
            return rows * (rank * (2.0 * outPerRow * fanIn + inPerRow + outPerRow) + (rank - 1.0) * outPerRow
                    + outPerRow);
        }
        boolean bias = block.getDirectParameters().keys().stream().anyMatch(k -> k.equals("bias"));
        return rows * (2.0 * outPerRow * fanIn + (bias ? outPerRow : 0));
    }

    /** [out, in, kh, kw] or [out, in] of a linear or convolution layer, else null. */
    private static Shape weightShape(Block block) {
        if (block instanceof Linear || block instanceof Conv2d || block instanceof BatchEnsembleLinear
                || block instanceof BatchEnsembleConv2d) {
            return block.getDirectParameters().get("weight").getArray().getShape();
        }
        return null;
    }
}
