package io.ensemblescope.core.routines;

import ai.djl.training.tracker.Tracker;

/**
 * Multistep learning rate: lr × gamma^(milestones reached), with milestones in 1-based epochs. Counts steps from the
 * start of the run, including the steps before a resume, so a resumed run continues on the same schedule.
 */
final class MultistepSchedule implements Tracker {
    private final float lr;
    private final int[] milestones;
    private final float gamma;
    private final int stepsPerEpoch;
    private final long stepOffset;

    MultistepSchedule(float lr, int[] milestones, float gamma, int stepsPerEpoch, long stepOffset) {
        this.lr = lr;
        this.milestones = milestones.clone();
        this.gamma = gamma;
        this.stepsPerEpoch = stepsPerEpoch;
        this.stepOffset = stepOffset;
    }

    @Override
    public float getNewValue(int numUpdate) {
        long epoch = (numUpdate + stepOffset) / stepsPerEpoch + 1;
        float value = lr;
        for (int m : milestones) {
            if (epoch >= m) {
                value *= gamma;
            }
        }
        return value;
    }
}
