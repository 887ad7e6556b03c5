package io.ensemblescope.trainer.jobs;

import io.ensemblescope.api.v1.TrainRequest;

/**
 * The largest job a client may ask this trainer for, set by its operator: k = 1000 members was accepted, and a batch
 * of 2³¹−1 failed only later, inside training, with NegativeArraySizeException. A request beyond a limit is refused
 * before anything is queued or written (INVALID_ARGUMENT naming the field).
 *
 * @param maxMembers largest ensemble size k
 * @param maxBatchSize largest batch_size
 * @param maxEpochs largest epochs
 * @param maxMcSamples largest mc_samples recorded for serving
 */
public record TrainingLimits(int maxMembers, int maxBatchSize, int maxEpochs, int maxMcSamples) {
    public static final TrainingLimits DEFAULT = new TrainingLimits(32, 8192, 1000, 256);

    public TrainingLimits {
        if (maxMembers < 2 || maxBatchSize < 1 || maxEpochs < 1 || maxMcSamples < 1) {
            throw new IllegalArgumentException("training limits: members must be >= 2, batch, epochs and MC samples"
                    + " >= 1");
        }
    }

    /** Throws IllegalArgumentException naming the first field beyond its limit. */
    public void check(TrainRequest r) {
        within("members", r.getMembers(), maxMembers);
        within("batch_size", r.getBatchSize(), maxBatchSize);
        within("epochs", r.getEpochs(), maxEpochs);
        within("mc_samples", r.getMcSamples(), maxMcSamples);
        within("lr_schedule.milestones", r.getLrSchedule().getMilestonesCount(), maxEpochs);
        within("seeds", r.getSeedsCount(), maxMembers);
    }

    private static void within(String field, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(field + ": must be at most " + max + " (this trainer's limit), got "
                    + value);
        }
    }
}
