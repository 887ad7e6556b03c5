package io.ensemblescope.core.layers;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Finds the BatchEnsemble layers of a network, for what treats their fast weights apart (the optimizer's groups). */
public final class BatchEnsembleLayers {
    private BatchEnsembleLayers() {}

    /** The fast weights r and s of every BatchEnsemble layer in {@code root}, in network order; the biases are not. */
    public static List<Parameter> fastWeights(Block root) {
        List<Parameter> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Block block, List<Parameter> out) {
        FastWeights fast = block instanceof BatchEnsembleLinear l ? l.fastWeights()
                : block instanceof BatchEnsembleConv2d c ? c.fastWeights() : null;
        if (fast != null) {
            out.add(fast.r);
            out.add(fast.s);
        }
        block.getChildren().values().forEach(child -> collect(child, out));
    }
}
