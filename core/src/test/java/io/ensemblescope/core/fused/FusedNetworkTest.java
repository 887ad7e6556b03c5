package io.ensemblescope.core.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.layers.FastWeightInit;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused serving forward equals the training forward ({@link EnsembleNetwork#memberLogits}) to 1e-5 of the
 * logits' scale (max |logit|, at least 1) for every
 * method, rank, member-0 setting and fusion choice (a budget of 0 forces the smallest form of every layer), with
 * BatchNorm statistics and per-member biases made non-trivial so folding them is exercised.
 */
class FusedNetworkTest {
    private static final int B = 3;

    @ParameterizedTest
    @CsvSource({
        "mnist-mlp, SINGLE, 1, false, 16777216",
        "mnist-mlp, DEEP_ENSEMBLE, 1, false, 16777216",
        "mnist-mlp, DEEP_ENSEMBLE, 1, false, 0",
        "mnist-mlp, BATCH_ENSEMBLE, 1, false, 16777216",
        "mnist-mlp, BATCH_ENSEMBLE, 1, false, 0",
        "mnist-mlp, BATCH_ENSEMBLE, 2, true, 16777216",
        "mnist-mlp, BATCH_ENSEMBLE, 2, true, 0",
        "mnist-mlp, BATCH_ENSEMBLE, 1, true, 300000",
        "resnet20, SINGLE, 1, false, 16777216",
        "resnet20, DEEP_ENSEMBLE, 1, false, 16777216",
        "resnet20, BATCH_ENSEMBLE, 1, false, 16777216",
        "resnet20, BATCH_ENSEMBLE, 2, true, 0",
    })
    void fusedForwardEqualsTrainingForward(String arch, Method method, int rank, boolean member0, long budget) {
        Engines.offline();
        int k = method.isEnsemble() ? 4 : 1;
        BatchEnsembleOptions be = method == Method.BATCH_ENSEMBLE
                ? new BatchEnsembleOptions(k, rank, FastWeightInit.NORMAL, 0.5f, member0) : null;
        NetworkSpec spec = new NetworkSpec(arch, method, k, 0.1f, 1, be);
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 5L)) {
            Random random = new Random(3);
            net.replicas().forEach(b -> perturb(b, random));
            FusedNetwork fused = FusedNetwork.compile(net, budget);
            assertEquals(k, fused.members());
            assertTrue(fused.bytes() > 0);
            if (budget == 0 && method == Method.BATCH_ENSEMBLE) {
                assertTrue(fused.layers().stream().allMatch(l -> l.fusion() == Fusion.FACTORED), fused.layers()
                        .toString());
            }
            if (arch.equals("resnet20")) {
                assertTrue(fused.layers().stream().filter(FusedLayer::batchNormFolded).count() >= 19,
                        "every convolution carries its BatchNorm: " + fused.layers());
            }
            try (NDManager call = net.manager().newSubManager()) {
                long[] dims = new long[net.architecture().inputShape().length + 1];
                dims[0] = B;
                System.arraycopy(net.architecture().inputShape(), 0, dims, 1, dims.length - 1);
                NDArray x = call.randomNormal(new Shape(dims));
                float[] expected = net.memberLogits(x, 0).toFloatArray();        // [k, B, C]
                float[] stacked = fused.stackedLogits(x).toFloatArray();         // [B, k·C]
                assertEquals(expected.length, stacked.length);
                int c = expected.length / (k * B);
                // Relative to the logits' scale: folding reorders float32 sums across twenty layers.
                double scale = 1;
                for (float e : expected) {
                    scale = Math.max(scale, Math.abs(e));
                }
                double worst = 0;
                for (int i = 0; i < k; i++) {
                    for (int b = 0; b < B; b++) {
                        for (int j = 0; j < c; j++) {
                            float e = expected[(i * B + b) * c + j];
                            float a = stacked[(b * k + i) * c + j];
                            worst = Math.max(worst, Math.abs(e - a) / scale);
                        }
                    }
                }
                assertTrue(worst <= 1e-5, "worst relative difference " + worst + " for " + fused.layers());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mnist-mlp"})
    void mcDropoutIsNotFused(String arch) {
        Engines.offline();
        NetworkSpec spec = new NetworkSpec(arch, Method.MC_DROPOUT, 1, 0.1f, 4, null);
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, 10, Device.cpu(), 5L)) {
            assertThrows(IllegalArgumentException.class, () -> FusedNetwork.compile(net, 1 << 20));
        }
    }

    /** Random BatchNorm statistics and affine terms, and non-zero biases, so folding has something to fold. */
    private static void perturb(Block block, Random random) {
        for (var child : block.getChildren()) {
            perturb(child.getValue(), random);
        }
        for (var p : block.getDirectParameters()) {
            Parameter param = p.getValue();
            String name = param.getName();
            boolean norm = block instanceof BatchNorm;
            if (norm || name.equals("bias")) {
                NDArray a = param.getArray();
                float[] v = new float[(int) a.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = name.equals("runningVar") ? 0.5f + random.nextFloat()
                            : name.equals("gamma") ? 0.5f + random.nextFloat() : (float) random.nextGaussian() * 0.3f;
                }
                a.set(FloatBuffer.wrap(v));
            }
        }
    }
}
