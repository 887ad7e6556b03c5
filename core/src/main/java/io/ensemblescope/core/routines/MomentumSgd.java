package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

/**
 * SGD with optional heavy-ball momentum and L2 weight decay (v ← μv + g + λθ; θ ← θ − ηv) on the engine's fused
 * update kernel, with its velocity in a {@link ResumableOptimizer} so a resumed run continues it.
 */
final class MomentumSgd extends ResumableOptimizer {
    private final ParameterTracker learningRate;
    private final float momentum;

    MomentumSgd(ParameterTracker learningRate, float momentum, float weightDecay) {
        super(Optimizer.sgd().setLearningRateTracker(learningRate).optWeightDecays(weightDecay), momentum == 0 ? 0 : 1);
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Slot slot = beginUpdate(parameterId, weight);
        float lr = learningRate.getNewValue(parameterId, slot.updates());
        NDList inputs = momentum == 0 ? new NDList(weight, grad) : new NDList(weight, grad, slot.array(0));
        weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), lr, getWeightDecay(), rescaleGrad, clipGrad,
                momentum, true);
    }
}
