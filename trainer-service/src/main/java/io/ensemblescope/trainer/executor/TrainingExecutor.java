package io.ensemblescope.trainer.executor;

/**
 * Where the runs of a training job execute: in this process ({@code local}) or as Kubernetes Jobs
 * ({@code kubernetes}). A job has one run per Deep-Ensemble member and one run for every other method.
 *
 * <p>Contract: run {@code i} trains into {@code job.workDir()/run-<i>/} (epoch snapshots, then final parameters and a
 * {@code DONE} marker, as written by core's member runner, which {@code escope train --job-dir D --member i} also
 * calls); the job's request is at {@code job.workDir()/request.json} (protobuf JSON). {@link #train} blocks until every
 * run is done, reporting progress through {@link JobContext#events()}, and throws when a run fails beyond its retries
 * or the job is cancelled. The trainer then assembles the checkpoint from the work directory, whatever the executor.
 */
public interface TrainingExecutor extends AutoCloseable {

    /** "local" or "kubernetes". */
    String kind();

    /** Trains every run of the job; see the class contract. */
    void train(JobContext job) throws Exception;

    /**
     * The trainer is stopping: finish quickly. Local runs snapshot at their next step boundary; Kubernetes Jobs keep
     * running unsupervised for the next trainer to adopt. Called before the trainer waits for its jobs.
     */
    default void beginShutdown() {}

    @Override
    default void close() {}
}
