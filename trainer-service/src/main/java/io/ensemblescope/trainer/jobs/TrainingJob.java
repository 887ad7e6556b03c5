package io.ensemblescope.trainer.jobs;

import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One job's mutable state and its event subscribers; every method is thread-safe. */
final class TrainingJob {
    final String id;
    final TrainRequest request;
    private final long createdMs = System.currentTimeMillis();
    private final List<TrainEvent> events = new ArrayList<>();
    private final List<Consumer<TrainEvent>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private JobState state = JobState.PENDING;
    private int epochsCompleted;
    private String error = "";
    private ModelRef checkpoint;
    private long updatedMs = createdMs;

    TrainingJob(String id, TrainRequest request) {
        this.id = id;
        this.request = request;
    }

    /** Replays past events to the subscriber, then forwards new ones, so no event is missed or repeated. */
    synchronized void subscribe(Consumer<TrainEvent> subscriber) {
        events.forEach(subscriber);
        if (!terminal()) {
            subscribers.add(subscriber);
        }
    }

    synchronized void publish(TrainEvent event) {
        TrainEvent stamped = event.toBuilder().setJobId(id).setTimestampMs(System.currentTimeMillis()).build();
        updatedMs = stamped.getTimestampMs();
        switch (stamped.getKind()) {
            case STARTED -> state = JobState.RUNNING;
            case EPOCH -> epochsCompleted = Math.max(epochsCompleted, stamped.getEpoch());
            case COMPLETED -> {
                state = JobState.SUCCEEDED;
                checkpoint = stamped.getCheckpoint();
            }
            case FAILED -> {
                state = JobState.FAILED;
                error = stamped.getMessage();
            }
            case CANCELLED -> state = JobState.CANCELLED;
            default -> { }
        }
        // Step events are frequent: keep them off the replay log, which only late subscribers read.
        if (stamped.getKind() != TrainEvent.Kind.STEP) {
            events.add(stamped);
        }
        subscribers.forEach(s -> s.accept(stamped));
        if (terminal()) {
            subscribers.clear();
        }
    }

    synchronized boolean terminal() {
        return state == JobState.SUCCEEDED || state == JobState.FAILED || state == JobState.CANCELLED;
    }

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    synchronized Job toProto() {
        Job.Builder b = Job.newBuilder().setJobId(id).setRequest(request).setState(state)
                .setEpochsCompleted(epochsCompleted).setError(error).setCreatedMs(createdMs).setUpdatedMs(updatedMs);
        if (checkpoint != null) {
            b.setCheckpoint(checkpoint);
        }
        return b.build();
    }

    long createdMs() {
        return createdMs;
    }
}
