package io.ensemblescope.cli.progress;

import io.ensemblescope.api.v1.TrainEvent;
import java.util.Iterator;
import java.util.Locale;

/** Follows a StartTraining stream on a progress bar until its terminal event. */
public final class TrainingProgress {
    private TrainingProgress() {}

    /**
     * @param runs runs of the job (k for a Deep Ensemble), so the bar covers all of them
     * @return the COMPLETED event (it carries the checkpoint)
     * @throws IllegalStateException when the job failed, was cancelled, or the stream ended early
     */
    public static TrainEvent follow(Iterator<TrainEvent> events, ProgressBar bar, int runs) {
        while (events.hasNext()) {
            TrainEvent e = events.next();
            switch (e.getKind()) {
                case STEP -> bar.update((e.getMember() + (double) e.getStep() / Math.max(1, e.getTotalSteps()))
                        / runs, String.format(Locale.ROOT, "member %d epoch %d loss %.3f %.0f img/s",
                        e.getMember(), e.getEpoch(), e.getLoss(), e.getImagesPerSecond()));
                case COMPLETED -> {
                    bar.done(String.format(Locale.ROOT, "val acc %.4f → %s/%s", e.getValidationAccuracy(),
                            e.getCheckpoint().getName(), e.getCheckpoint().getVersion()));
                    return e;
                }
                case FAILED, CANCELLED -> throw new IllegalStateException("training "
                        + e.getKind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
                default -> { }
            }
        }
        throw new IllegalStateException("the trainer closed the stream without a result");
    }
}
