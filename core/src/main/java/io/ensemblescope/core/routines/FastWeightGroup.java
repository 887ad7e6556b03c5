package io.ensemblescope.core.routines;

/**
 * How BatchEnsemble's fast weights r and s train, as their own optimizer parameter group: a learning-rate multiplier
 * over the run's rate and whether weight decay reaches them (the per-member biases and the shared weights always
 * follow the run's settings). Other methods have no fast weights, so the group changes nothing for them.
 *
 * @param lrMultiplier the fast weights' learning rate is the run's times this; finite, in (0, {@link #MAX_MULTIPLIER}]
 * @param weightDecay whether the optimizer's weight decay applies to the fast weights
 */
public record FastWeightGroup(float lrMultiplier, boolean weightDecay) {
    /** Far beyond the 10× of the studies; a bound so that a typo cannot make a run diverge at once. */
    public static final float MAX_MULTIPLIER = 100f;
    /** Fast weights train like every other weight. */
    public static final FastWeightGroup PLAIN = new FastWeightGroup(1f, true);

    public FastWeightGroup {
        if (!(lrMultiplier > 0 && lrMultiplier <= MAX_MULTIPLIER)) {
            throw new IllegalArgumentException("batch_ensemble.fast_weight_lr_multiplier must be finite and in (0, "
                    + MAX_MULTIPLIER + "], got " + lrMultiplier);
        }
    }
}
