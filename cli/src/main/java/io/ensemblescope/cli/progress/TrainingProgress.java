package io.ensemblescope.cli.progress;

import io.ensemblescope.api.v1.TrainEvent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Follows a StartTraining stream on a progress bar until its terminal event. Deep-Ensemble members train in
 * parallel, so the bar shows their mean progress (each member's own fraction only grows) and the line each member's.
 */
public final class TrainingProgress {
    private TrainingProgress() {}

    /**
     * @param runs runs of the job (k for a Deep Ensemble), so the bar covers all of them
     * @return the COMPLETED event (it carries the checkpoint)
     * @throws IllegalStateException when the job failed, was cancelled, or the stream ended early
     */
    public static TrainEvent follow(Iterator<TrainEvent> events, ProgressBar bar, int runs) {
        double[] members = new double[Math.max(1, runs)];
        while (events.hasNext()) {
            TrainEvent e = events.next();
            switch (e.getKind()) {
                case STEP -> {
                    int m = Math.max(0, Math.min(members.length - 1, e.getMember()));
                    members[m] = Math.max(members[m], (double) e.getStep() / Math.max(1, e.getTotalSteps()));
                    String step = String.format(Locale.ROOT, "epoch %d loss %.3f %.0f img/s", e.getEpoch(),
                            e.getLoss(), e.getImagesPerSecond());
                    bar.update(Arrays.stream(members).sum() / members.length, members.length == 1 ? step
                            : "members " + Arrays.stream(members).mapToObj(f -> String.format(Locale.ROOT, "%.0f",
                                    f * 100)).collect(Collectors.joining("/")) + "% · member " + m + " " + step);
                }
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
