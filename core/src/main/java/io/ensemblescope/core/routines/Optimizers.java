package io.ensemblescope.core.routines;

/** Builds a run's optimizer on its learning-rate schedule and parameter groups. */
final class Optimizers {
    private Optimizers() {}

    static ResumableOptimizer create(OptimizerConfig o, MultistepSchedule lr, ParameterGroups groups) {
        return switch (o.kind()) {
            case SGD -> o.nesterov()
                    ? new NesterovSgd(lr, o.momentum(), o.weightDecay(), groups)
                    : new MomentumSgd(lr, o.momentum(), o.weightDecay(), groups);
            case ADAM -> new Adam(lr, o.weightDecay(), false, groups);
            case ADAMW -> new Adam(lr, o.weightDecay(), true, groups);
        };
    }
}
