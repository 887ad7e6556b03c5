package io.ensemblescope.core.routines;

/** Builds a run's optimizer on its learning-rate schedule. */
final class Optimizers {
    private Optimizers() {}

    static ResumableOptimizer create(OptimizerConfig o, MultistepSchedule lr) {
        return switch (o.kind()) {
            case SGD -> o.nesterov()
                    ? new NesterovSgd(lr, o.momentum(), o.weightDecay())
                    : new MomentumSgd(lr, o.momentum(), o.weightDecay());
            case ADAM -> new Adam(lr, o.weightDecay(), false);
            case ADAMW -> new Adam(lr, o.weightDecay(), true);
        };
    }
}
