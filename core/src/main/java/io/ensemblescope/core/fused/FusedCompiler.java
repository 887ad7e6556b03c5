package io.ensemblescope.core.fused;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.ensemblescope.core.layers.McDropout;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks k lockstep replica blocks (or one BatchEnsemble block of k members) and emits one {@link FusedOp} over
 * member-stacked activations [B, g·C, …]: g = 1 while every member still sees the same input (before the first
 * weight layer), g = k after it. Weight layers become one op each ({@link Fusion}), chosen per layer within the
 * memory budget; a BatchNorm right after a weight layer is folded into it; parameter-free lambdas (ReLU, flatten,
 * global pooling, identity) act per channel and run as they are; a ParallelBlock is a residual sum (the only one
 * our architectures build).
 */
final class FusedCompiler {
    private final int members;
    private final long layerBudget;
    private final NDManager manager;
    private final List<FusedLayer> layers = new ArrayList<>();
    private int groups = 1;

    FusedCompiler(int members, long layerBudget, NDManager manager) {
        this.members = members;
        this.layerBudget = layerBudget;
        this.manager = manager;
    }

    List<FusedLayer> layers() {
        return layers;
    }

    /** The whole network, ending in member-stacked logits [B, k·C]. */
    FusedOp network(List<Block> replicas) {
        FusedOp op = block(replicas, "");
        return groups == members ? op : op.then(expand());
    }

    private FusedOp block(List<Block> replicas, String path) {
        Block b = replicas.get(0);
        if (b instanceof SequentialBlock) {
            return sequence(replicas, path);
        }
        if (b instanceof ParallelBlock) {
            return residual(replicas, path);
        }
        if (LayerReader.isWeightLayer(b)) {
            return weights(replicas, null, path);
        }
        if (b instanceof McDropout d) {
            if (d.alwaysOn() && d.rate() > 0) {
                throw new IllegalArgumentException("MC Dropout stays stochastic at inference: not fused");
            }
            return x -> x;
        }
        if (b instanceof LambdaBlock) {
            return x -> b.forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                    .singletonOrThrow();
        }
        throw new IllegalArgumentException("not fused: " + b.getClass().getSimpleName() + " at " + path);
    }

    private FusedOp sequence(List<Block> replicas, String path) {
        List<List<Block>> children = children(replicas);
        List<String> names = replicas.get(0).getChildren().keys();
        FusedOp op = x -> x;
        for (int i = 0; i < children.size(); i++) {
            List<Block> child = children.get(i);
            String name = path + names.get(i);
            boolean normNext = i + 1 < children.size() && children.get(i + 1).get(0) instanceof BatchNorm;
            if (LayerReader.isWeightLayer(child.get(0)) && normNext) {
                op = op.then(weights(child, children.get(i + 1), name));
                i++;
            } else {
                op = op.then(block(child, name + "/"));
            }
        }
        return op;
    }

    private FusedOp residual(List<Block> replicas, String path) {
        List<List<Block>> branches = children(replicas);
        if (branches.size() != 2) {
            throw new IllegalArgumentException("a ParallelBlock of " + branches.size() + " branches at " + path);
        }
        int in = groups;
        FusedOp a = block(branches.get(0), path + "main/");
        int ga = groups;
        groups = in;
        FusedOp b = block(branches.get(1), path + "shortcut/");
        int gb = groups;
        groups = Math.max(ga, gb);
        FusedOp left = ga < groups ? a.then(expand()) : a;
        FusedOp right = gb < groups ? b.then(expand()) : b;
        return x -> left.apply(x).add(right.apply(x));
    }

    private FusedOp weights(List<Block> replicas, List<Block> norms, String path) {
        MemberLayer layer = LayerReader.read(replicas, members);
        if (norms != null) {
            LayerReader.foldBatchNorm(layer, norms);
        }
        Fusion choice = choose(layer);
        layers.add(new FusedLayer(path, choice, layer.bytes(choice, groups), layer.batchNormFolded));
        FusedOp op = layer.op(choice, groups, manager);
        groups = members;
        return op;
    }

    /** The fastest form whose tensors fit the budget; the smallest when none does. */
    private Fusion choose(MemberLayer layer) {
        List<Fusion> order = new ArrayList<>();
        if (groups == 1 || !layer.conv()) {
            order.add(Fusion.DENSE);
        }
        if (groups > 1) {
            order.add(Fusion.GROUPED);
        }
        if (layer.factorable()) {
            order.add(Fusion.FACTORED);
        }
        for (Fusion f : order) {
            if (layer.bytes(f, groups) <= layerBudget) {
                return f;
            }
        }
        return order.stream().min(java.util.Comparator.comparingLong(f -> layer.bytes(f, groups))).orElseThrow();
    }

    /** [B, C, …] shared by every member → [B, k·C, …] member-stacked. */
    private FusedOp expand() {
        int k = members;
        return x -> k == 1 ? x : x.tile(1, k);
    }

    private static List<List<Block>> children(List<Block> replicas) {
        int n = replicas.get(0).getChildren().size();
        List<List<Block>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Block> position = new ArrayList<>(replicas.size());
            for (Block r : replicas) {
                position.add(r.getChildren().get(i).getValue());
            }
            out.add(position);
        }
        return out;
    }

}
