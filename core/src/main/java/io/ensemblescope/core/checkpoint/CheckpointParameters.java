package io.ensemblescope.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.models.EnsembleNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a loaded network's parameters layer by layer, per replica, for weight-space analysis. */
public final class CheckpointParameters {
    private CheckpointParameters() {}

    /** Per replica (k for a Deep Ensemble, one otherwise), the layers in network order. */
    public static List<List<LayerParameters>> read(EnsembleNetwork net) {
        List<List<LayerParameters>> replicas = new ArrayList<>();
        BatchEnsembleOptions be = net.spec().batchEnsemble();
        for (Block block : net.replicas()) {
            Map<String, Map<String, LayerParameters.Array>> layers = new LinkedHashMap<>();
            Map<String, String> kinds = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                if (param.getType() == Parameter.Type.RUNNING_MEAN || param.getType() == Parameter.Type.RUNNING_VAR) {
                    continue;
                }
                String key = p.getKey();
                int cut = key.lastIndexOf('_');
                String layer = cut < 0 ? key : key.substring(0, cut);
                String name = param.getName();
                kinds.put(layer, kindOf(layer));
                float[] values = param.getArray().toFloatArray();
                if (be != null && be.member0Unperturbed() && kinds.get(layer).equals(LayerParameters.BATCH_ENSEMBLE)
                        && (name.equals("r") || name.equals("s"))) {
                    values = withMember0(values, be.members(), name.equals("r") ? 1f : 1f / be.rank());
                }
                layers.computeIfAbsent(layer, l -> new LinkedHashMap<>())
                        .put(name, new LayerParameters.Array(shape(param.getArray()), values));
            }
            List<LayerParameters> out = new ArrayList<>();
            layers.forEach((layer, arrays) -> out.add(new LayerParameters(layer, kinds.get(layer), arrays)));
            replicas.add(out);
        }
        return replicas;
    }

    private static String kindOf(String layer) {
        String leaf = layer.substring(layer.lastIndexOf('_') + 1);
        if (leaf.contains("BatchEnsemble")) {
            return LayerParameters.BATCH_ENSEMBLE;
        }
        return leaf.contains("BatchNorm") ? LayerParameters.BATCH_NORM : LayerParameters.PLAIN;
    }

    /** Member 0's slice set to the constant the forward uses when member 0 is unperturbed. */
    private static float[] withMember0(float[] values, int members, float constant) {
        float[] copy = values.clone();
        java.util.Arrays.fill(copy, 0, values.length / members, constant);
        return copy;
    }

    private static long[] shape(NDArray a) {
        return a.getShape().getShape();
    }
}
