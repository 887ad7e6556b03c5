package io.ensemblescope.core.routines;

import io.ensemblescope.core.checkpoint.EpochRecord;

/** Progress of one run. Called on the training thread; keep it cheap. */
public interface TrainListener {
    TrainListener NONE = new TrainListener() {};

    /** Periodic progress inside an epoch. */
    default void onStep(int run, StepProgress progress) {}

    /**
     * An epoch's training steps ended; its validation and snapshot follow. {@code epoch} is 1-based. Lets a profiler
     * bracket exactly the steps.
     */
    default void onEpochTrained(int run, int epoch) {}

    /** An epoch ended. */
    default void onEpoch(int run, EpochRecord record) {}

    /** Snapshot of progress: epoch 1-based, steps counted from the start of the run. */
    record StepProgress(int epoch, long step, long totalSteps, float loss, float imagesPerSecond, float etaSeconds) {}
}
