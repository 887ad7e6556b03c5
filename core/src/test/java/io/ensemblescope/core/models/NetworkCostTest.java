package io.ensemblescope.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parameter and FLOP counts of the MNIST MLP (784-64-32-16-10) worked out by hand for every method. */
class NetworkCostTest {
    /** Weights of the four linear layers: 784·64 + 64·32 + 32·16 + 16·10. */
    private static final long WEIGHTS = 784 * 64 + 64 * 32 + 32 * 16 + 16 * 10;
    /** Outputs (bias values) of the four layers. */
    private static final long OUTPUTS = 64 + 32 + 16 + 10;
    /** Inputs of the four layers (what x ∘ r scales). */
    private static final long INPUTS = 784 + 64 + 32 + 16;

    @BeforeAll
    static void offline() {
        Engines.offline();
    }

    private static NetworkCost cost(Method method, int k, int mcSamples) {
        return NetworkCost.of(new NetworkSpec(MnistMlp.NAME, method, k, 0.05f, 8, null), 10, mcSamples);
    }

    @Test
    void singleModel() {
        NetworkCost c = cost(Method.SINGLE, 1, 0);
        assertEquals(WEIGHTS + OUTPUTS, c.parameters());
        assertEquals(53_018, c.parameters());
        assertEquals(0, c.perMemberParameters());
        assertEquals(4 * 53_018, c.weightBytes());
        assertEquals(2.0 * WEIGHTS + OUTPUTS, c.flopsPerSample(), 0);
    }

    @Test
    void mcDropoutRunsTPassesOfSharedWeights() {
        NetworkCost c = cost(Method.MC_DROPOUT, 1, 0);
        assertEquals(8, c.members());
        assertEquals(53_018, c.parameters());
        assertEquals(8 * (2.0 * WEIGHTS + OUTPUTS), c.flopsPerSample(), 0);
        assertEquals(4 * (2.0 * WEIGHTS + OUTPUTS), cost(Method.MC_DROPOUT, 1, 4).flopsPerSample(), 0);
    }

    @Test
    void deepEnsembleSharesNothing() {
        NetworkCost c = cost(Method.DEEP_ENSEMBLE, 4, 0);
        assertEquals(0, c.sharedParameters());
        assertEquals(53_018, c.perMemberParameters());
        assertEquals(4 * 53_018, c.parameters());
        assertEquals(4 * (2.0 * WEIGHTS + OUTPUTS), c.flopsPerSample(), 0);
    }

    @Test
    void batchEnsembleSharesWAndKeepsFastWeightsPerMember() {
        NetworkCost c = cost(Method.BATCH_ENSEMBLE, 4, 0);
        assertEquals(WEIGHTS, c.sharedParameters(), "W has no shared bias");
        assertEquals(INPUTS + 2 * OUTPUTS, c.perMemberParameters(), "r (in), s (out) and a bias (out) per layer");
        assertEquals(WEIGHTS + 4 * (INPUTS + 2 * OUTPUTS), c.parameters());
        // Per member: the shared matmul, x ∘ r, y ∘ s and + b.
        assertEquals(4 * (2.0 * WEIGHTS + INPUTS + 2 * OUTPUTS), c.flopsPerSample(), 0);
    }

    @Test
    void batchEnsembleRankTwoDoublesTheSharedProductAndSumsTheRankTerms() {
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, Method.BATCH_ENSEMBLE, 4, 0.05f, 8,
                BatchEnsembleOptions.defaults(4).withRank(2));
        NetworkCost c = NetworkCost.of(spec, 10, 0);
        assertEquals(2 * INPUTS + 2 * OUTPUTS + OUTPUTS, c.perMemberParameters());
        double perMember = 2 * (2.0 * WEIGHTS + INPUTS + OUTPUTS) + OUTPUTS + OUTPUTS;
        assertEquals(4 * perMember, c.flopsPerSample(), 0);
    }

    @Test
    void resnet20ConvolutionsCountTheirOutputPositions() {
        NetworkCost c = NetworkCost.of(new NetworkSpec("resnet20", Method.SINGLE, 1, 0.1f, 8, null), 10, 0);
        // The 3×3 stem alone: 16 filters × 32×32 outputs × 3·3·3 MACs × 2.
        double stem = 2.0 * 16 * 32 * 32 * 27;
        assertEquals(true, c.flopsPerSample() > stem * 10, "the whole network costs far more than its stem");
        // ResNet-20 has about 0.27 M parameters and about 41 M multiply-accumulates per 32×32 image.
        assertEquals(0.27e6, c.parameters(), 0.01e6);
        assertEquals(2 * 41e6, c.flopsPerSample(), 2e6);
    }
}
