package io.ensemblescope.core.routines;

/**
 * How one run trains.
 *
 * @param optimizer optimizer hyperparameters
 * @param milestones epochs (1-based) at whose start the learning rate is multiplied by gamma
 * @param gamma learning-rate multiplier at each milestone
 * @param epochs maximum epochs
 * @param batchSize examples per step (per member when BatchEnsemble tiles)
 * @param patience epochs without validation improvement before stopping early (0: never); the best epoch's
 *     parameters are kept
 * @param splitBatch BatchEnsemble: split each batch into k member slices instead of tiling it
 * @param augment random 4-pixel-padded crops and horizontal flips (CIFAR)
 */
public record TrainConfig(OptimizerConfig optimizer, int[] milestones, float gamma, int epochs, int batchSize,
                          int patience, boolean splitBatch, boolean augment) {
    public TrainConfig {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("early_stopping_patience must be >= 0, got " + patience);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("lr_schedule.gamma must be in (0, 1], got " + gamma);
        }
        milestones = milestones == null ? new int[0] : milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("lr_schedule.milestones must be ascending epochs >= 1");
            }
        }
    }
}
