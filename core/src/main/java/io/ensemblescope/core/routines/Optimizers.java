package io.ensemblescope.core.routines;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** Builds the DJL optimizer and multistep learning-rate schedule for a run. */
public final class Optimizers {
    private Optimizers() {}

    /** The optimizer for a run whose first {@code stepOffset} steps were done before a resume. */
    public static Optimizer create(TrainConfig config, int stepsPerEpoch, long stepOffset) {
        OptimizerConfig o = config.optimizer();
        Tracker lr = new MultistepSchedule(o.learningRate(), config.milestones(), config.gamma(), stepsPerEpoch,
                stepOffset);
        return switch (o.kind()) {
            case SGD -> o.nesterov()
                    ? new NesterovSgd(lr, o.momentum(), o.weightDecay())
                    : Optimizer.sgd().setLearningRateTracker(lr).optMomentum(o.momentum())
                            .optWeightDecays(o.weightDecay()).build();
            case ADAM -> Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(o.weightDecay()).build();
            case ADAMW -> Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(o.weightDecay()).build();
        };
    }
}
