package io.ensemblescope.metrics.service;

import ai.djl.Device;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.core.checkpoint.CheckpointParameters;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.LayerParameters;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.metrics.math.BatchEnsembleWeights;
import io.ensemblescope.metrics.math.WeightDiversity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads members' effective parameters from the checkpoint store: a Deep Ensemble's replicas layer by layer; a
 * BatchEnsemble's W ∘ Σ_q s_iq r_iqᵀ and b_i per BatchEnsemble layer, with shared layers (BatchNorm) left out of the
 * member vectors because they are identical for every member; a single or MC-Dropout network as one member.
 */
public final class StoreCheckpointWeights implements CheckpointWeights {
    private final CheckpointStore store;

    public StoreCheckpointWeights(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public MemberWeights read(ModelRef ref) throws IOException {
        Manifest m = store.manifest(ref.getName(), ref.getVersion());
        ModelRef resolved = ModelRef.newBuilder().setName(m.name()).setVersion(m.version()).build();
        Method method = MetricsProtos.method(m.network().method());
        try (EnsembleNetwork net = store.load(m, Device.cpu())) {
            List<List<LayerParameters>> replicas = CheckpointParameters.read(net);
            if (method == Method.BATCH_ENSEMBLE) {
                return new MemberWeights(resolved, method, batchEnsembleMembers(replicas.get(0),
                        m.network().members()), WeightDiversity.BATCH_ENSEMBLE_NOTE);
            }
            List<Map<String, float[]>> members = new ArrayList<>();
            for (List<LayerParameters> layers : replicas) {
                Map<String, float[]> flat = new LinkedHashMap<>();
                for (LayerParameters layer : layers) {
                    flat.put(layer.layer(), concat(layer.arrays().values().stream()
                            .map(LayerParameters.Array::values).toList()));
                }
                members.add(flat);
            }
            return new MemberWeights(resolved, method, members, method == Method.DEEP_ENSEMBLE
                    ? WeightDiversity.DEEP_ENSEMBLE_NOTE : "One network: a single member.");
        }
    }

    private static List<Map<String, float[]>> batchEnsembleMembers(List<LayerParameters> layers, int k) {
        List<Map<String, float[]>> members = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            members.add(new LinkedHashMap<>());
        }
        for (LayerParameters layer : layers) {
            if (!layer.kind().equals(LayerParameters.BATCH_ENSEMBLE)) {
                continue; // shared by all members
            }
            LayerParameters.Array w = layer.arrays().get("weight");
            long[] shape = w.shape();
            int out = (int) shape[0];
            int in = (int) shape[1];
            int spatial = (int) (w.values().length / ((long) out * in));
            LayerParameters.Array r = layer.arrays().get("r");
            LayerParameters.Array s = layer.arrays().get("s");
            int rank = (int) r.shape()[1];
            float[][] effective = BatchEnsembleWeights.effective(w.values(), out, in, spatial,
                    split(r.values(), k, rank, in), split(s.values(), k, rank, out));
            float[] bias = layer.arrays().get("bias").values();
            for (int i = 0; i < k; i++) {
                members.get(i).put(layer.layer(), concat(List.of(effective[i],
                        java.util.Arrays.copyOfRange(bias, i * out, (i + 1) * out))));
            }
        }
        return members;
    }

    /** One layer's arrays as one vector, so diversity is reported per layer. */
    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** [k·rank·n] row-major → [k][rank][n]. */
    private static float[][][] split(float[] values, int k, int rank, int n) {
        float[][][] out = new float[k][rank][];
        for (int i = 0; i < k; i++) {
            for (int q = 0; q < rank; q++) {
                int from = (i * rank + q) * n;
                out[i][q] = java.util.Arrays.copyOfRange(values, from, from + n);
            }
        }
        return out;
    }
}
