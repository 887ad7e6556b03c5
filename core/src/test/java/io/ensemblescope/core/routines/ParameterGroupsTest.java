package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.layers.BatchEnsembleLayers;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.random.SeededRandom;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BatchEnsemble's fast weights as their own optimizer parameter group, on the MNIST MLP (four BatchEnsemble layers):
 * one update with an identical gradient moves them 10× as far at multiplier 10 as at 1 while every other parameter
 * moves the same; with weight decay off for them, a zero-gradient step decays W (and the biases alike) but not r and
 * s; and an optimizer state written under one group is not resumed under another.
 */
class ParameterGroupsTest {
    private static final float LR = 0.1f;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Block network() {
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, Method.BATCH_ENSEMBLE, 4, 0f, 1, null);
        return EnsembleNetwork.buildReplica(spec, 10, manager, new SeededRandom(3));
    }

    @Test
    void theGroupHoldsTheRAndSOfEveryBatchEnsembleLayerAndNothingElse() {
        Block block = network();
        Set<String> names = BatchEnsembleLayers.fastWeights(block).stream().map(Parameter::getName)
                .collect(Collectors.toSet());
        assertEquals(8, BatchEnsembleLayers.fastWeights(block).size(), "r and s of 4 layers");
        assertEquals(Set.of("r", "s"), names);
    }

    @Test
    void multiplierTenMovesFastWeightsTenTimesAsFarAndOtherParametersAlike() {
        Map<String, float[]> plain = step(new FastWeightGroup(1f, true), 0f, p -> p.onesLike().muli(0.01f),
                Kind.SGD);
        Map<String, float[]> fast = step(new FastWeightGroup(10f, true), 0f, p -> p.onesLike().muli(0.01f),
                Kind.SGD);
        Set<String> fastPaths = fastPaths();
        assertEquals(8, fastPaths.size());
        for (String path : plain.keySet()) {
            float[] one = plain.get(path);
            float[] ten = fast.get(path);
            float factor = fastPaths.contains(path) ? 10f : 1f;
            for (int i = 0; i < one.length; i++) {
                assertEquals(-LR * 0.01f, one[i], 1e-6f, path + " moves by lr · g at multiplier 1");
                assertEquals(factor * one[i], ten[i], 1e-6f, path + "[" + i + "]");
            }
        }
    }

    @Test
    void withDecayOffFastWeightsDoNotDecayWhileTheSharedWeightsAndBiasesDo() {
        for (Kind kind : Kind.values()) {
            Map<String, float[]> moved = step(new FastWeightGroup(1f, false), 0.5f, NDArray::zerosLike, kind);
            Map<String, float[]> decayed = step(FastWeightGroup.PLAIN, 0.5f, NDArray::zerosLike, kind);
            Set<String> fastPaths = fastPaths();
            for (String path : moved.keySet()) {
                if (fastPaths.contains(path)) {
                    assertArrayEquals(new float[moved.get(path).length], moved.get(path), 0f,
                            kind + ": no decay on " + path);
                    assertTrue(maxAbs(decayed.get(path)) > 0, kind + ": " + path + " decays when the group decays");
                } else {
                    if (path.endsWith("_weight")) { // the biases start at 0, where decay has nothing to take
                        assertTrue(maxAbs(moved.get(path)) > 0, kind + ": " + path + " decays");
                    }
                    assertArrayEquals(decayed.get(path), moved.get(path), 0f, kind + ": " + path + " as before");
                }
            }
        }
    }

    @Test
    void stateWrittenUnderOneGroupIsNotResumedUnderAnother() throws IOException {
        Block block = network();
        FastWeightGroup tenfold = new FastWeightGroup(10f, false);
        ResumableOptimizer written = Kind.ADAM.create(ParameterGroups.of(block, tenfold), 1e-4f);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            written.update(p.getValue().getId(), w, w.onesLike());
        }
        byte[] state = written.save(block);
        Kind.ADAM.create(ParameterGroups.of(block, tenfold), 1e-4f).restore(block, manager, state);
        IOException refused = assertThrows(IOException.class, () -> Kind.ADAM.create(
                ParameterGroups.of(block, FastWeightGroup.PLAIN), 1e-4f).restore(block, manager, state));
        assertTrue(refused.getMessage().contains("fast weights"), refused.getMessage());
    }

    @Test
    void multipliersOutsideTheBoundsAreRefused() {
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 100.5f}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FastWeightGroup(bad, true));
            assertTrue(e.getMessage().startsWith("batch_ensemble.fast_weight_lr_multiplier"), e.getMessage());
        }
        assertNotEquals(FastWeightGroup.PLAIN, new FastWeightGroup(1f, false));
    }

    /** The optimizers with their per-parameter decay: SGD (L2), Adam (L2 in the gradient), AdamW (decoupled). */
    private enum Kind {
        SGD, ADAM, ADAMW;

        ResumableOptimizer create(ParameterGroups groups, float decay) {
            return switch (this) {
                case SGD -> new MomentumSgd(Tracker.fixed(LR), 0f, decay, groups);
                case ADAM -> new Adam(Tracker.fixed(LR), decay, false, groups);
                case ADAMW -> new Adam(Tracker.fixed(LR), decay, true, groups);
            };
        }
    }

    /** One update of a fresh network (same seed every time) with gradient g(θ): each parameter's change by path. */
    private Map<String, float[]> step(FastWeightGroup group, float decay, Function<NDArray, NDArray> gradient,
                                      Kind kind) {
        Block block = network();
        ResumableOptimizer optimizer = kind.create(ParameterGroups.of(block, group), decay);
        Map<String, float[]> change = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            float[] before = w.toFloatArray();
            optimizer.update(p.getValue().getId(), w, gradient.apply(w));
            float[] after = w.toFloatArray();
            for (int i = 0; i < after.length; i++) {
                after[i] -= before[i];
            }
            change.put(p.getKey(), after);
        }
        return change;
    }

    private Set<String> fastPaths() {
        Block block = network();
        Set<String> ids = BatchEnsembleLayers.fastWeights(block).stream().map(Parameter::getId)
                .collect(Collectors.toSet());
        return block.getParameters().stream().filter(p -> ids.contains(p.getValue().getId())).map(Pair::getKey)
                .collect(Collectors.toSet());
    }

    private static float maxAbs(float[] values) {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
