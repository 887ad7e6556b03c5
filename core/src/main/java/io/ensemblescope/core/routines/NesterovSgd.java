package io.ensemblescope.core.routines;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with Nesterov momentum and L2 weight decay, as torch.optim.SGD(nesterov=True) defines it:
 * g ← ∇ + λθ; v ← μv + g; θ ← θ − η(g + μv). DJL's Nag has no PyTorch kernel, hence this NDArray version.
 */
final class NesterovSgd extends Optimizer {
    private final ParameterTracker learningRate;
    private final float momentum;
    private final Map<String, Map<Device, NDArray>> velocity = new ConcurrentHashMap<>();

    NesterovSgd(ParameterTracker learningRate, float momentum, float weightDecay) {
        super(Optimizer.sgd().setLearningRateTracker(learningRate).optWeightDecays(weightDecay));
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
            float lr = learningRate.getNewValue(parameterId, updateCount(parameterId));
            NDArray g = grad.mul(rescaleGrad).add(weight.mul(getWeightDecay()));
            NDArray v = withDefaultState(velocity, parameterId, weight.getDevice(), k -> weight.zerosLike());
            v.muli(momentum).addi(g);
            weight.subi(g.add(v.mul(momentum)).muli(lr));
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
