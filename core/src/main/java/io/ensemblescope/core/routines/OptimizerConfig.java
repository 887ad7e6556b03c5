package io.ensemblescope.core.routines;

/**
 * Optimizer hyperparameters.
 *
 * @param kind SGD, ADAM (L2 decay in the gradient) or ADAMW (decoupled decay)
 * @param learningRate initial learning rate
 * @param momentum SGD momentum
 * @param nesterov SGD: Nesterov momentum
 * @param weightDecay decay coefficient
 * @param fastWeights BatchEnsemble's fast weights as their own parameter group (learning-rate multiplier, decay on or
 *     off); {@link FastWeightGroup#PLAIN} when they train like every other weight
 */
public record OptimizerConfig(Kind kind, float learningRate, float momentum, boolean nesterov, float weightDecay,
                              FastWeightGroup fastWeights) {
    public enum Kind { SGD, ADAM, ADAMW }

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer.kind is required");
        }
        if (!(learningRate > 0 && Float.isFinite(learningRate))) {
            throw new IllegalArgumentException("optimizer.learning_rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("optimizer.momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw new IllegalArgumentException("optimizer.weight_decay must be finite and >= 0, got " + weightDecay);
        }
        fastWeights = fastWeights == null ? FastWeightGroup.PLAIN : fastWeights;
    }

    /** Fast weights (if any) train like every other weight. */
    public OptimizerConfig(Kind kind, float learningRate, float momentum, boolean nesterov, float weightDecay) {
        this(kind, learningRate, momentum, nesterov, weightDecay, FastWeightGroup.PLAIN);
    }

    public OptimizerConfig withFastWeights(FastWeightGroup group) {
        return new OptimizerConfig(kind, learningRate, momentum, nesterov, weightDecay, group);
    }

    /** The paper's MNIST setting: Adam, lr 1e-3, weight decay 1e-4. */
    public static OptimizerConfig adam(float lr, float weightDecay) {
        return new OptimizerConfig(Kind.ADAM, lr, 0f, false, weightDecay);
    }
}
