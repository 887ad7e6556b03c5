package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointParameters;
import io.ensemblescope.core.checkpoint.LayerParameters;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.layers.FastWeightInit;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointParametersTest {

    @Test
    void batchEnsembleLayersExposeSharedAndFastWeightsWithMember0AsTheForwardUsesIt() {
        NetworkSpec spec = new NetworkSpec("resnet20", Method.BATCH_ENSEMBLE, 3, 0f, 1,
                new BatchEnsembleOptions(3, 2, FastWeightInit.NORMAL, 0.5f, true));
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 1L)) {
            List<List<LayerParameters>> replicas = CheckpointParameters.read(net);
            assertEquals(1, replicas.size(), "BatchEnsemble is one block");
            List<LayerParameters> layers = replicas.get(0);
            LayerParameters stem = layers.get(0);
            assertEquals(LayerParameters.BATCH_ENSEMBLE, stem.kind());
            assertArrayEquals(new long[] {16, 3, 3, 3}, stem.arrays().get("weight").shape());
            assertArrayEquals(new long[] {3, 2, 3}, stem.arrays().get("r").shape());
            float[] r = stem.arrays().get("r").values();
            float[] s = stem.arrays().get("s").values();
            for (int i = 0; i < 6; i++) {
                assertEquals(1f, r[i], 0f, "member 0's r is 1");
            }
            for (int i = 0; i < 32; i++) {
                assertEquals(0.5f, s[i], 0f, "member 0's s is 1/rank");
            }
            assertTrue(layers.stream().anyMatch(l -> l.kind().equals(LayerParameters.BATCH_NORM)));
            assertTrue(layers.stream().noneMatch(l -> l.arrays().containsKey("runningMean")),
                    "running statistics are not parameters");
        }
    }

    @Test
    void deepEnsembleHasOneLayerListPerMember() {
        NetworkSpec spec = new NetworkSpec("mnist-mlp", Method.DEEP_ENSEMBLE, 2, 0f, 1, null);
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 1L, 2L)) {
            List<List<LayerParameters>> replicas = CheckpointParameters.read(net);
            assertEquals(2, replicas.size());
            assertEquals(4, replicas.get(0).size(), "four Linear layers");
            assertEquals(LayerParameters.PLAIN, replicas.get(0).get(0).kind());
        }
    }
}
