package io.ensemblescope.core.routines;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.ensemblescope.core.layers.BatchEnsembleLayers;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The optimizer's parameter groups for one network: its BatchEnsemble fast weights (found by layer, not by name) in
 * the {@link FastWeightGroup}, every other parameter on the run's learning rate and weight decay. Parameters are
 * known by their DJL id, which is what an optimizer's update receives.
 */
final class ParameterGroups {
    static final ParameterGroups NONE = new ParameterGroups(Set.of(), FastWeightGroup.PLAIN);

    private final Set<String> fastWeightIds;
    private final FastWeightGroup fast;

    private ParameterGroups(Set<String> fastWeightIds, FastWeightGroup fast) {
        this.fastWeightIds = Set.copyOf(fastWeightIds);
        this.fast = fast;
    }

    static ParameterGroups of(Block block, FastWeightGroup fast) {
        return new ParameterGroups(BatchEnsembleLayers.fastWeights(block).stream().map(Parameter::getId)
                .collect(Collectors.toSet()), fast);
    }

    FastWeightGroup fastWeights() {
        return fast;
    }

    /** The learning rate of parameter {@code id} when the run's is {@code lr}. */
    float learningRate(String id, float lr) {
        return fastWeightIds.contains(id) ? lr * fast.lrMultiplier() : lr;
    }

    /** The weight decay of parameter {@code id} when the run's is {@code decay}. */
    float weightDecay(String id, float decay) {
        return fastWeightIds.contains(id) && !fast.weightDecay() ? 0f : decay;
    }
}
