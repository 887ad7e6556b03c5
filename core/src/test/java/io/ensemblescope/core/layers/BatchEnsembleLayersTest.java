package io.ensemblescope.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.random.SeededRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * BatchEnsemble layers against the explicit per-member computation with W_i = W ∘ Σ_j s_ij r_ijᵀ (materialised here
 * only, to check the batched forward that never materialises it).
 */
class BatchEnsembleLayersTest {
    private static final int K = 3;
    private static final int B = 4;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private BatchEnsembleOptions options(int rank, boolean member0) {
        return new BatchEnsembleOptions(K, rank, FastWeightInit.NORMAL, 0.5f, member0);
    }

    private static void initialize(Block block, NDManager manager, Shape input) {
        block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        // Non-zero biases so the per-member bias is exercised.
        block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, input);
    }

    private static NDArray param(Block block, String name) {
        return block.getParameters().get(name).getArray();
    }

    /** Effective r and s as the layer uses them (member 0 fixed when unperturbed). */
    private static NDArray effective(NDArray value, boolean member0, float constant) {
        NDArray v = value.duplicate();
        if (member0) {
            v.set(new NDIndex("0"), constant);
        }
        return v;
    }

    /** W_i = W ∘ Σ_j s_ij r_ijᵀ for a [out, in] matrix. */
    private static NDArray memberWeight(NDArray w, NDArray r, NDArray s, int i) {
        NDArray ri = r.get(i); // [rank, in]
        NDArray si = s.get(i); // [rank, out]
        NDArray outer = si.transpose().matMul(ri); // [out, in] = Σ_j s_ij r_ijᵀ
        return w.mul(outer);
    }

    @ParameterizedTest(name = "rank {0}, member 0 unperturbed {1}")
    @CsvSource({"1,false", "1,true", "2,false", "2,true"})
    void linearEqualsExplicitPerMemberWeights(int rank, boolean member0) {
        long in = 5;
        long out = 6;
        BatchEnsembleLinear layer = BatchEnsembleLinear.builder().setUnits(out).setOptions(options(rank, member0))
                .setFastWeightInitializer(new FastWeightInitializer(FastWeightInit.NORMAL, 0.5f, new SeededRandom(7)))
                .build();
        initialize(layer, manager, new Shape(K * B, in));
        NDArray x = manager.randomNormal(new Shape(K * B, in));
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        assertEquals(new Shape(K * B, out), y.getShape());

        NDArray w = param(layer, "weight");
        NDArray r = effective(param(layer, "r"), member0, 1f);
        NDArray s = effective(param(layer, "s"), member0, 1f / rank);
        NDArray b = param(layer, "bias");
        for (int i = 0; i < K; i++) {
            NDArray xi = x.get(new NDIndex(i * B + ":" + (i + 1) * B));
            NDArray expected = Linear.linear(xi, memberWeight(w, r, s, i), b.get(i)).singletonOrThrow();
            NDArray actual = y.get(new NDIndex(i * B + ":" + (i + 1) * B));
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f, "member " + i);
        }
        if (member0) {
            NDArray x0 = x.get(new NDIndex("0:" + B));
            NDArray plain = Linear.linear(x0, w, b.get(0)).singletonOrThrow();
            assertArrayEquals(plain.toFloatArray(), y.get(new NDIndex("0:" + B)).toFloatArray(), 1e-5f);
        }
    }

    @ParameterizedTest(name = "rank {0}, member 0 unperturbed {1}")
    @CsvSource({"1,false", "1,true", "2,false", "2,true"})
    void conv2dEqualsExplicitPerMemberKernels(int rank, boolean member0) {
        long in = 3;
        long filters = 4;
        BatchEnsembleConv2d layer = BatchEnsembleConv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).setOptions(options(rank, member0))
                .setFastWeightInitializer(new FastWeightInitializer(FastWeightInit.NORMAL, 0.5f, new SeededRandom(9)))
                .build();
        initialize(layer, manager, new Shape(K * B, in, 7, 7));
        NDArray x = manager.randomNormal(new Shape(K * B, in, 7, 7));
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        assertEquals(layer.getOutputShapes(new Shape[] {x.getShape()})[0], y.getShape());

        NDArray w = param(layer, "weight"); // [out, in, 3, 3]
        NDArray r = effective(param(layer, "r"), member0, 1f);
        NDArray s = effective(param(layer, "s"), member0, 1f / rank);
        NDArray b = param(layer, "bias");
        for (int i = 0; i < K; i++) {
            NDArray outer = s.get(i).transpose().matMul(r.get(i)).reshape(filters, in, 1, 1);
            NDArray wi = w.mul(outer);
            NDArray xi = x.get(new NDIndex(i * B + ":" + (i + 1) * B));
            NDArray expected = Conv2d.conv2d(xi, wi, b.get(i), new Shape(2, 2), new Shape(1, 1)).singletonOrThrow();
            NDArray actual = y.get(new NDIndex(i * B + ":" + (i + 1) * B));
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f, "member " + i);
        }
    }

    private Block layer(boolean conv, int rank, boolean member0) {
        FastWeightInitializer init = new FastWeightInitializer(FastWeightInit.NORMAL, 0.5f, new SeededRandom(5));
        if (conv) {
            return BatchEnsembleConv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1)).setOptions(options(rank, member0)).setFastWeightInitializer(init)
                    .build();
        }
        return BatchEnsembleLinear.builder().setUnits(4).setOptions(options(rank, member0))
                .setFastWeightInitializer(init).build();
    }

    /**
     * The rank-1 path (no rank axis, no sum) against the general path: a rank-2 layer whose second rank-one term has
     * s = 0 computes the same function as the rank-1 layer holding its first term.
     */
    @ParameterizedTest(name = "conv {0}, member 0 unperturbed {1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void rankOnePathEqualsGeneralPathWithOneLiveTerm(boolean conv, boolean member0) {
        Shape input = conv ? new Shape(K * B, 3, 5, 5) : new Shape(K * B, 5);
        Block one = layer(conv, 1, member0);
        Block two = layer(conv, 2, member0);
        initialize(one, manager, input);
        initialize(two, manager, input);
        param(two, "weight").set(param(one, "weight").toFloatArray());
        param(two, "bias").set(param(one, "bias").toFloatArray());
        NDArray r = param(one, "r");
        NDArray s = param(one, "s");
        param(two, "r").set(NDArrays.concat(new NDList(r, r.mul(3)), 1).toFloatArray());
        param(two, "s").set(NDArrays.concat(new NDList(s, s.zerosLike()), 1).toFloatArray());
        NDArray x = manager.randomNormal(input);
        NDArray a = one.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        NDArray b = two.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        assertEquals(a.getShape(), b.getShape());
        // Member 0, when unperturbed, uses the plain weight either way (the general path through its 1/rank mean).
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-5f);
    }

    /** A forward's arrays all live in the forward's manager; the parameters' manager gains none (a server leak). */
    @ParameterizedTest(name = "conv {0}, rank {1}, member 0 unperturbed {2}")
    @CsvSource({"false,1,false", "false,2,true", "true,1,true", "true,2,false"})
    void forwardLeavesNothingOnTheParametersManager(boolean conv, int rank, boolean member0) {
        Shape input = conv ? new Shape(K * B, 3, 5, 5) : new Shape(K * B, 5);
        Block layer = layer(conv, rank, member0);
        initialize(layer, manager, input);
        int before = manager.getManagedArrays().size();
        for (boolean training : new boolean[] {false, true}) {
            try (NDManager local = manager.newSubManager()) {
                NDArray x = local.randomNormal(input);
                layer.forward(new ParameterStore(local, false), new NDList(x), training).singletonOrThrow();
                assertTrue(local.getManagedArrays().size() > 1);
            }
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void gradientsReachSharedWeightFastWeightsAndBias() {
        for (Block layer : new Block[] {
            BatchEnsembleLinear.builder().setUnits(3).setOptions(options(2, true))
                    .setFastWeightInitializer(new FastWeightInitializer(FastWeightInit.RANDOM_SIGN, 0f,
                            new SeededRandom(1))).build(),
            BatchEnsembleConv2d.builder().setFilters(3).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setOptions(options(2, true)).setFastWeightInitializer(
                            new FastWeightInitializer(FastWeightInit.NORMAL, 0.5f, new SeededRandom(2))).build()}) {
            Shape input = layer instanceof BatchEnsembleLinear ? new Shape(K * B, 4) : new Shape(K * B, 4, 5, 5);
            initialize(layer, manager, input);
            NDArray x = manager.randomNormal(input);
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.square().sum());
            }
            for (String name : new String[] {"weight", "r", "s", "bias"}) {
                NDArray grad = param(layer, name).getGradient();
                assertTrue(grad.abs().sum().getFloat() > 0, name + " receives a gradient");
            }
            // Member 0 is unperturbed: its fast weights are constants, so they receive none.
            assertEquals(0f, param(layer, "r").getGradient().get(0).abs().sum().getFloat(), 0f);
            assertEquals(0f, param(layer, "s").getGradient().get(0).abs().sum().getFloat(), 0f);
        }
    }

    @Test
    void randomSignInitGivesPlusMinusOne() {
        BatchEnsembleLinear layer = BatchEnsembleLinear.builder().setUnits(8).setOptions(
                new BatchEnsembleOptions(K, 1, FastWeightInit.RANDOM_SIGN, 0f, false))
                .setFastWeightInitializer(new FastWeightInitializer(FastWeightInit.RANDOM_SIGN, 0f,
                        new SeededRandom(3))).build();
        initialize(layer, manager, new Shape(K, 16));
        float[] r = param(layer, "r").toFloatArray();
        boolean sawMinus = false;
        for (float v : r) {
            assertEquals(1f, Math.abs(v), 0f);
            sawMinus |= v < 0;
        }
        assertTrue(sawMinus);
    }

    @Test
    void rankAboveMinInOutIsRejected() {
        BatchEnsembleLinear layer = BatchEnsembleLinear.builder().setUnits(2).setOptions(options(3, false))
                .setFastWeightInitializer(new FastWeightInitializer(FastWeightInit.NORMAL, 0.5f, new SeededRandom(4)))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> initialize(layer, manager, new Shape(K, 5)));
        assertTrue(e.getMessage().contains("batch_ensemble.rank"), e.getMessage());
    }

    /**
     * At any rank a member's Σ_j s_ij r_ijᵀ starts around 1, as at rank 1 and as member 0 computes when unperturbed:
     * with σ = 0 (r = s = 1 as drawn) a rank-4 layer holds s = 1/4, so its members start on W exactly.
     */
    @Test
    void everyRankStartsFromTheSameScaleOfPerturbation() {
        for (int rank : new int[] {1, 2, 4}) {
            FastWeightInitializer ones = new FastWeightInitializer(FastWeightInit.NORMAL, 0f, new SeededRandom(5));
            BatchEnsembleLinear layer = BatchEnsembleLinear.builder().setUnits(4)
                    .setOptions(new BatchEnsembleOptions(K, rank, FastWeightInit.NORMAL, 0f, false))
                    .setFastWeightInitializer(ones).build();
            initialize(layer, manager, new Shape(K * B, 6));
            NDArray w = param(layer, "weight");
            for (int i = 0; i < K; i++) {
                NDArray member = memberWeight(w, param(layer, "r"), param(layer, "s"), i);
                assertTrue(member.sub(w).abs().max().getFloat() < 1e-6f, "rank " + rank + " member " + i);
            }
        }
    }
}
