package io.ensemblescope.core.routines;

/**
 * Stops a run whose training loss stops being a number. A diverged run (e.g. a learning rate far too large) otherwise
 * trained on with NaN weights, reported success and committed a model that served NaN probabilities.
 */
public final class LossGuard {
    private LossGuard() {}

    /** The step's loss when finite; otherwise the run ends here, before anything is committed. */
    public static float finite(float loss, int epoch, long step) {
        if (!Float.isFinite(loss)) {
            throw new DivergedException("training diverged: the loss became " + loss + " at epoch " + epoch
                    + ", step " + step + " (try a smaller optimizer.learning_rate); nothing was committed");
        }
        return loss;
    }

    /** A run that diverged; the job fails and commits no checkpoint. */
    public static final class DivergedException extends IllegalStateException {
        DivergedException(String message) {
            super(message);
        }
    }
}
