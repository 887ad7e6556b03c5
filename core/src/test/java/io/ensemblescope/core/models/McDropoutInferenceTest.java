package io.ensemblescope.core.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MC Dropout stays stochastic at inference while BatchNorm stays in eval mode. */
class McDropoutInferenceTest {

    private static List<float[]> runningStats(EnsembleNetwork net) {
        List<float[]> stats = new ArrayList<>();
        for (var pair : net.replicas().get(0).getParameters()) {
            Parameter p = pair.getValue();
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                stats.add(p.getArray().toFloatArray());
            }
        }
        return stats;
    }

    @Test
    void samplesDifferAcrossAndWithinCallsAndBatchNormStatisticsStayPut() {
        NetworkSpec spec = new NetworkSpec("resnet20", Method.MC_DROPOUT, 1, 0.5f, 4, null);
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 5L)) {
            List<float[]> before = runningStats(net);
            assertFalse(before.isEmpty(), "ResNet-20 has BatchNorm");
            NDArray x = net.manager().randomNormal(new Shape(2, 3, 32, 32));
            NDArray a = net.memberLogits(x, 4);
            NDArray b = net.memberLogits(x, 4);
            assertEquals(new Shape(4, 2, 10), a.getShape());
            assertFalse(Arrays.equals(a.toFloatArray(), b.toFloatArray()), "repeated calls differ");
            assertFalse(Arrays.equals(a.get(0).toFloatArray(), a.get(1).toFloatArray()), "the T samples differ");
            List<float[]> after = runningStats(net);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 0f, "BatchNorm running statistics unchanged");
            }
        }
    }

    @Test
    void singleNetworkInferenceIsDeterministic() {
        NetworkSpec spec = new NetworkSpec("resnet20", Method.SINGLE, 1, 0.5f, 4, null);
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 5L)) {
            NDArray x = net.manager().randomNormal(new Shape(2, 3, 32, 32));
            assertArrayEquals(net.memberLogits(x, 0).toFloatArray(), net.memberLogits(x, 0).toFloatArray(), 0f);
        }
    }
}
