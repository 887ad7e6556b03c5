package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

/**
 * SGD with Nesterov momentum and L2 weight decay, as torch.optim.SGD(nesterov=True) defines it:
 * g ← ∇ + λθ; v ← μv + g; θ ← θ − η(g + μv). DJL's Nag has no PyTorch kernel, hence this NDArray version; the
 * velocity lives in a {@link ResumableOptimizer} so a resumed run continues it.
 */
final class NesterovSgd extends ResumableOptimizer {
    private final ParameterTracker learningRate;
    private final float momentum;

    NesterovSgd(ParameterTracker learningRate, float momentum, float weightDecay) {
        super(Optimizer.sgd().setLearningRateTracker(learningRate).optWeightDecays(weightDecay), 1);
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /**
     * Runs with PyTorch's (thread-local) grad mode off: a closed gradient collector restores the mode it found, which
     * is on for any thread but the one that started the engine (e.g. the trainer's job threads), and an in-place
     * update of a leaf that requires grad is an error under it.
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            Slot slot = beginUpdate(parameterId, weight);
            float lr = learningRate.getNewValue(parameterId, slot.updates());
            NDArray v = slot.array(0);
            // Temporaries are closed here: on the run's long-lived manager they would pile up step after step.
            try (NDArray decay = weight.mul(getWeightDecay()); NDArray g = grad.mul(rescaleGrad).addi(decay)) {
                v.muli(momentum).addi(g);
                try (NDArray update = v.mul(momentum)) {
                    weight.subi(update.addi(g).muli(lr));
                }
            }
            // Backward adds to the gradient; the engine's fused updates clear it after use, and so must this one,
            // or every step would descend along the sum of all gradients so far.
            JniUtils.zeroGrad((PtNDArray) weight);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
