package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

/**
 * Adam (Kingma and Ba, 2015) with L2 weight decay in the gradient, or AdamW (Loshchilov and Hutter, 2019) with
 * decoupled decay, on the engine's fused update kernel — the kernel DJL's Adam calls, with β₁ 0.9, β₂ 0.999, ε 1e-8 —
 * but with its moments and step counts in a {@link ResumableOptimizer} so a resumed run continues them.
 */
final class Adam extends ResumableOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final int MEAN = 0;
    private static final int VARIANCE = 1;

    private final ParameterTracker learningRate;
    private final boolean decoupled;

    Adam(ParameterTracker learningRate, float weightDecay, boolean decoupled) {
        super(Optimizer.adam().optWeightDecays(weightDecay), 2);
        this.learningRate = learningRate;
        this.decoupled = decoupled;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Slot slot = beginUpdate(parameterId, weight);
        int t = slot.updates();
        float lr = learningRate.getNewValue(parameterId, t);
        // Bias correction of both moments folded into the step size: lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ).
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t)));
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, slot.array(MEAN), slot.array(VARIANCE)), new NDList(weight), lr, corrected,
                getWeightDecay(), rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, decoupled);
    }
}
