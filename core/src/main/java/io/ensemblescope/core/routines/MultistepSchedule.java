package io.ensemblescope.core.routines;

import ai.djl.training.tracker.Tracker;

/**
 * Multistep learning rate: lr × gamma^(milestones reached), with milestones in 1-based epochs. The trainer tells it
 * the epoch in progress, so the rate is a function of the run's position alone and a resumed run, which restores
 * that position, continues on the same schedule.
 */
final class MultistepSchedule implements Tracker {
    private final float lr;
    private final int[] milestones;
    private final float gamma;
    private volatile int epoch = 1;

    MultistepSchedule(float lr, int[] milestones, float gamma) {
        this.lr = lr;
        this.milestones = milestones.clone();
        this.gamma = gamma;
    }

    /** The epoch (1-based) whose steps come next. */
    void enterEpoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public float getNewValue(int numUpdate) {
        float value = lr;
        for (int m : milestones) {
            if (epoch >= m) {
                value *= gamma;
            }
        }
        return value;
    }
}
