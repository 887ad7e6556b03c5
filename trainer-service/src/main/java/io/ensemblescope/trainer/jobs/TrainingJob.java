package io.ensemblescope.trainer.jobs;

import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One job's mutable state and its event subscribers; every method is thread-safe. */
final class TrainingJob {
    final String id;
    final TrainRequest request;
    private final long createdMs;
    private final List<TrainEvent> events = new ArrayList<>();
    private final List<Consumer<TrainEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final int[] epochsPerRun;
    private volatile boolean cancelled;
    private JobState state = JobState.PENDING;
    private String error = "";
    private ModelRef checkpoint;
    private long updatedMs;

    /**
     * A job about to run: new ({@code epochsPerRun} all 0) or resumed (the epochs its runs' snapshots hold).
     *
     * @param epochsPerRun epochs completed by each run (one per Deep-Ensemble member, one otherwise)
     */
    TrainingJob(String id, TrainRequest request, int[] epochsPerRun, long createdMs) {
        this.id = id;
        this.request = request;
        this.epochsPerRun = epochsPerRun.clone();
        this.createdMs = createdMs;
        this.updatedMs = createdMs;
    }

    /** A job of an earlier trainer process, as its record in the store says it ended (or was interrupted). */
    static TrainingJob restored(JobRecord record, int[] epochsPerRun) {
        TrainingJob job = new TrainingJob(record.id(), record.request(), epochsPerRun, record.createdMs());
        synchronized (job) {
            job.state = record.state();
            job.error = record.error();
            job.checkpoint = record.checkpoint();
            job.updatedMs = record.updatedMs();
            // Late subscribers learn how it ended, as they would from a job of this process.
            job.events.add(record.endEvent());
        }
        return job;
    }

    /** Replays past events to the subscriber, then forwards new ones, so no event is missed or repeated. */
    synchronized void subscribe(Consumer<TrainEvent> subscriber) {
        events.forEach(subscriber);
        if (!ended()) {
            subscribers.add(subscriber);
        }
    }

    synchronized void publish(TrainEvent event) {
        TrainEvent stamped = event.toBuilder().setJobId(id).setTimestampMs(System.currentTimeMillis()).build();
        updatedMs = stamped.getTimestampMs();
        switch (stamped.getKind()) {
            case STARTED -> state = JobState.RUNNING;
            case EPOCH -> {
                int run = stamped.getMember();
                if (run >= 0 && run < epochsPerRun.length) {
                    epochsPerRun[run] = Math.max(epochsPerRun[run], stamped.getEpoch());
                }
            }
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
        if (ended()) {
            subscribers.clear();
        }
    }

    /**
     * The trainer stopped the job to shut down; its snapshots stay for a resume. Streams end with a CANCELLED event
     * that says so, while the job's state is INTERRUPTED.
     */
    synchronized void interrupt(String message) {
        publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.CANCELLED).setMember(-1).setMessage(message).build());
        state = JobState.INTERRUPTED;
    }

    synchronized JobState state() {
        return state;
    }

    /** No more events will come: finished, or interrupted (a resume replaces this object). */
    synchronized boolean ended() {
        return state != JobState.PENDING && state != JobState.RUNNING;
    }

    /** Epochs completed by the slowest run. */
    synchronized int epochsCompleted() {
        return Arrays.stream(epochsPerRun).min().orElse(0);
    }

    /** Epochs completed by each run. */
    synchronized int[] epochsPerRun() {
        return epochsPerRun.clone();
    }

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    synchronized Job toProto() {
        Job.Builder b = Job.newBuilder().setJobId(id).setRequest(request).setState(state)
                .setEpochsCompleted(epochsCompleted()).setError(error).setCreatedMs(createdMs)
                .setUpdatedMs(updatedMs);
        if (checkpoint != null) {
            b.setCheckpoint(checkpoint);
        }
        return b.build();
    }

    long createdMs() {
        return createdMs;
    }
}
