package io.ensemblescope.trainer.jobs;

import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.trainer.executor.JobContext;
import io.ensemblescope.trainer.executor.TrainingExecutor;
import io.ensemblescope.trainer.request.TrainRequests;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's core: accepts jobs, runs them on a bounded pool through the chosen executor, assembles checkpoints,
 * fans events out to subscribers, and records every job's outcome in the store ({@link JobRecord}), from which a new
 * process learns the jobs of earlier ones ({@link #recover}). Knows nothing of gRPC.
 */
public final class JobManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobManager.class);

    private final CheckpointStore store;
    private final DatasetCatalog catalog;
    private final Map<ExecutorKind, TrainingExecutor> executors;
    private final ExecutorKind defaultExecutor;
    private final TrainingLimits limits;
    private final ThreadPoolExecutor pool;
    private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();
    private final AtomicReference<Double> lastImagesPerSecond = new AtomicReference<>(0.0);
    private final Timer epochSeconds;
    private volatile boolean shuttingDown;

    public JobManager(CheckpointStore store, DatasetCatalog catalog, Map<ExecutorKind, TrainingExecutor> executors,
                      ExecutorKind defaultExecutor, int concurrentJobs, int queuedJobs, MeterRegistry registry) {
        this(store, catalog, executors, defaultExecutor, concurrentJobs, queuedJobs, registry, TrainingLimits.DEFAULT);
    }

    /** A manager refusing new jobs beyond {@code limits}. */
    public JobManager(CheckpointStore store, DatasetCatalog catalog, Map<ExecutorKind, TrainingExecutor> executors,
                      ExecutorKind defaultExecutor, int concurrentJobs, int queuedJobs, MeterRegistry registry,
                      TrainingLimits limits) {
        this.limits = limits;
        this.store = store;
        this.catalog = catalog;
        this.executors = Map.copyOf(executors);
        this.defaultExecutor = defaultExecutor;
        this.pool = new ThreadPoolExecutor(concurrentJobs, concurrentJobs, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queuedJobs)), r -> {
                    Thread t = new Thread(r, "training-job");
                    t.setDaemon(true);
                    return t;
                });
        for (JobState s : List.of(JobState.PENDING, JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED,
                JobState.CANCELLED, JobState.INTERRUPTED)) {
            Gauge.builder("escope_trainer_jobs", () -> count(s)).tag("state", s.name().toLowerCase())
                    .description("Training jobs by state").register(registry);
        }
        Gauge.builder("escope_trainer_images_per_second", lastImagesPerSecond::get)
                .description("Training throughput of the latest epoch").register(registry);
        epochSeconds = Timer.builder("escope_trainer_epoch").description("Seconds per training epoch")
                .publishPercentileHistogram().register(registry);
    }

    /** True once shutdown began; local runs then snapshot at their next step boundary and stop. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Validates and queues a new job — or, with {@code resume_job_id}, resumes an interrupted job or follows a
     * running one; the subscriber sees every event from STARTED to the terminal one.
     *
     * @throws IllegalArgumentException naming the bad field
     * @throws NoSuchElementException when {@code resume_job_id} names no job in the store
     * @throws IllegalStateException when it names a job that has ended
     * @throws java.util.concurrent.RejectedExecutionException when the queue is full
     */
    public synchronized Job submit(TrainRequest request, Consumer<TrainEvent> subscriber) throws IOException {
        if (!request.getResumeJobId().isEmpty()) {
            return resume(request, subscriber);
        }
        limits.check(request);
        JobSpec spec = TrainRequests.toJobSpec(request, catalog);
        TrainingExecutor executor = executorFor(request);
        String id = newId();
        JobRecord.create(store.jobDir(id), request);
        TrainingJob job = new TrainingJob(id, request, new int[spec.runs()], System.currentTimeMillis());
        start(job, spec, executor, subscriber, "executor " + executor.kind() + ", " + spec.runs() + " run(s)");
        return job.toProto();
    }

    private Job resume(TrainRequest request, Consumer<TrainEvent> subscriber) throws IOException {
        String id = CheckpointStore.checkName(request.getResumeJobId(), "resume_job_id");
        TrainingJob known = jobs.get(id);
        if (known == null) {
            throw new NoSuchElementException("resume_job_id: job " + id + " is not in the trainer's store");
        }
        if (!request.getModelName().isEmpty()
                && !request.toBuilder().clearResumeJobId().build().equals(known.request)) {
            throw new IllegalArgumentException("resume_job_id: job " + id + " was submitted with another request; "
                    + "send resume_job_id alone, or with the job's original request");
        }
        JobState state = known.state();
        switch (state) {
            case PENDING, RUNNING -> {
                if (subscriber != null) {
                    known.subscribe(subscriber);
                }
                return known.toProto();
            }
            case INTERRUPTED -> {
                return restart(known, subscriber).toProto();
            }
            default -> {
                ModelRef checkpoint = known.toProto().getCheckpoint();
                throw new IllegalStateException("resume_job_id: job " + id + " has ended " + state
                        + (state == JobState.SUCCEEDED ? " with checkpoint " + checkpoint.getName() + "/"
                        + checkpoint.getVersion() : "") + "; nothing to resume");
            }
        }
    }

    /** Resumes an interrupted job from its runs' snapshots, announcing where it continues. */
    private TrainingJob restart(TrainingJob interrupted, Consumer<TrainEvent> subscriber) throws IOException {
        TrainRequest request = interrupted.request;
        JobSpec spec = TrainRequests.toJobSpec(request, catalog);
        TrainingExecutor executor = executorFor(request);
        TrainingJob job = new TrainingJob(interrupted.id, request, interrupted.epochsPerRun(),
                interrupted.createdMs());
        String message = "resuming interrupted job " + job.id + " (model " + request.getModelName() + ") after epoch "
                + job.epochsCompleted() + " of " + request.getEpochs() + ", from its snapshots";
        log.info(message);
        start(job, spec, executor, subscriber, message);
        return job;
    }

    /** Registers the job (replacing an interrupted record of it) and queues it. */
    private void start(TrainingJob job, JobSpec spec, TrainingExecutor executor, Consumer<TrainEvent> subscriber,
                       String startMessage) {
        if (subscriber != null) {
            job.subscribe(subscriber);
        }
        TrainingJob previous = jobs.put(job.id, job);
        try {
            pool.execute(() -> run(job, spec, executor, store.jobDir(job.id), startMessage));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (previous == null) {
                jobs.remove(job.id);
            } else {
                jobs.put(job.id, previous);
            }
            throw new java.util.concurrent.RejectedExecutionException("training queue is full ("
                    + pool.getQueue().size() + " jobs waiting); retry later", e);
        }
    }

    private TrainingExecutor executorFor(TrainRequest request) {
        ExecutorKind kind = request.getExecutor() == ExecutorKind.EXECUTOR_KIND_UNSPECIFIED
                ? defaultExecutor : request.getExecutor();
        TrainingExecutor e = executors.get(kind);
        if (e == null) {
            throw new IllegalStateException("executor " + kind + " is not configured on this trainer");
        }
        return e;
    }

    private void run(TrainingJob job, JobSpec spec, TrainingExecutor executor, Path work, String startMessage) {
        job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STARTED).setMember(-1).setMessage(startMessage)
                .build());
        Consumer<TrainEvent> events = e -> {
            if (e.getKind() == TrainEvent.Kind.EPOCH) {
                lastImagesPerSecond.set((double) e.getImagesPerSecond());
            }
            job.publish(e);
        };
        long start = System.nanoTime();
        try {
            executor.train(new JobContext(job.id, job.request, work, spec.runs(), events, job::cancelled));
            TrainingData data = TrainingData.holdOut(catalog.load(TrainRequests.dataset(
                    job.request.getDataset(), catalog)), spec.validationFraction());
            // Idempotent per job: after a crash between the commit and its marker, this finds the version again.
            Manifest m = CheckpointAssembler.assemble(store, spec, data, work, job.id);
            ModelRef checkpoint = ModelRef.newBuilder().setName(m.name()).setVersion(m.version()).build();
            JobRecord.committed(work, checkpoint);
            m.history().forEach(h -> h.forEach(r -> epochSeconds.record(Duration.ofMillis(
                    (long) (r.seconds() * 1000)))));
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.COMPLETED).setMember(-1)
                    .setValidationAccuracy(m.metrics().get("validation_accuracy").floatValue())
                    .setCheckpoint(checkpoint).setMessage("checkpoint " + m.name() + "/" + m.version()).build());
        } catch (RunControl.PreemptedException e) {
            job.interrupt("trainer shut down after epoch " + job.epochsCompleted() + "; snapshots kept: the job "
                    + "resumes when a trainer restarts on this store, or with resume_job_id " + job.id);
        } catch (CancellationException e) {
            record(job, () -> JobRecord.cancelled(work));
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.CANCELLED).setMember(-1)
                    .setMessage("cancelled").build());
        } catch (Exception | Error e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            // One line: the reason is the job's, kept in its record; the trace helps only when debugging.
            log.warn("job {} failed: {}", job.id, reason);
            log.debug("job {} failed", job.id, e);
            record(job, () -> JobRecord.failed(work, reason));
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.FAILED).setMember(-1).setMessage(reason)
                    .build());
        }
        log.debug("job {} took {} s", job.id, (System.nanoTime() - start) / 1e9);
    }

    /** Writes a job's outcome marker; a store that refuses it is logged, the event still goes out. */
    private static void record(TrainingJob job, IoAction write) {
        try {
            write.run();
        } catch (IOException e) {
            log.warn("job {}: could not record its outcome: {}", job.id, e.getMessage());
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Subscribes to a known job's events (replaying those already published). */
    public void subscribe(String jobId, Consumer<TrainEvent> subscriber) {
        find(jobId).subscribe(subscriber);
    }

    public Job get(String jobId) {
        return find(jobId).toProto();
    }

    public List<Job> list() {
        return jobs.values().stream().sorted(Comparator.comparingLong(TrainingJob::createdMs).reversed())
                .map(TrainingJob::toProto).toList();
    }

    public Job cancel(String jobId) {
        TrainingJob job = find(jobId);
        // Running runs see the flag at their next step boundary; a queued job at its first.
        job.cancel();
        return job.toProto();
    }

    private TrainingJob find(String jobId) {
        TrainingJob job = jobs.get(jobId);
        if (job == null) {
            throw new NoSuchElementException("job " + ClientText.quote(jobId) + " not found");
        }
        return job;
    }

    /**
     * Reads every job record of the store into this trainer, so GetJob and ListJobs know jobs of earlier processes:
     * finished ones as they ended (never run again), interrupted ones resumed when {@code resumeInterrupted} (each
     * announced in the log and in its STARTED event), else listed as INTERRUPTED until a client resumes them. Cleans
     * what killed writers left first: half-built versions and temp files of job records. Returns the ids of the
     * interrupted jobs.
     */
    public synchronized List<String> recover(boolean resumeInterrupted) throws IOException {
        int stale = store.removeStaleCommits();
        if (stale > 0) {
            log.info("removed {} half-built checkpoint version(s) left by a killed commit", stale);
        }
        Path jobsDir = store.jobsDir();
        if (!Files.isDirectory(jobsDir)) {
            return List.of();
        }
        List<String> interrupted = new java.util.ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> list = Files.list(jobsDir)) {
            dirs = list.filter(Files::isDirectory).filter(d -> isJobId(d.getFileName().toString())).sorted().toList();
        }
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            AtomicFiles.removeTemps(dir);
            JobRecord record;
            try {
                record = JobRecord.read(dir);
            } catch (IOException e) {
                log.warn("job {} is skipped: its record cannot be read: {}", id, e.getMessage());
                continue; // one damaged record must not keep the trainer from starting
            }
            if (record == null || jobs.containsKey(id)) {
                continue;
            }
            TrainingJob job = TrainingJob.restored(record, JobRecord.epochsPerRun(dir, record.request()));
            jobs.put(id, job);
            if (record.state() == JobState.INTERRUPTED) {
                interrupted.add(id);
                if (resumeInterrupted) {
                    resumeAtStart(job, dir);
                } else {
                    log.info("job {} (model {}) was interrupted after epoch {} of {}; resume it with resume_job_id",
                            id, record.request().getModelName(), job.epochsCompleted(), record.request().getEpochs());
                }
            }
        }
        return interrupted;
    }

    private static boolean isJobId(String name) {
        try {
            CheckpointStore.checkName(name, "job_id");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A job whose request no longer validates ends FAILED here, once, instead of failing at every start. */
    private void resumeAtStart(TrainingJob job, Path dir) throws IOException {
        try {
            restart(job, null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            String reason = "cannot resume: " + e.getMessage();
            log.warn("job {} {}", job.id, reason);
            JobRecord.failed(dir, reason);
            jobs.put(job.id, TrainingJob.restored(JobRecord.read(dir), job.epochsPerRun()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("job {} stays interrupted: {}", job.id, e.getMessage());
        }
    }

    private int count(JobState state) {
        return (int) jobs.values().stream().filter(j -> j.state() == state).count();
    }

    private static String newId() {
        return "job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * How long {@link #close()} waits for running jobs unless told otherwise: long enough for a local run's step on a
     * busy CPU. The chart passes less (its pod's grace period minus the gRPC drain).
     */
    public static final Duration DEFAULT_SHUTDOWN_WAIT = Duration.ofSeconds(60);

    /** {@link #close(Duration)} with {@link #DEFAULT_SHUTDOWN_WAIT}. */
    @Override
    public void close() {
        close(DEFAULT_SHUTDOWN_WAIT);
    }

    /**
     * Asks running jobs to stop — local runs snapshot at their next step boundary, Kubernetes supervision returns at
     * once and leaves member Jobs running — then waits for them up to {@code wait}, which must fit in the pod's
     * terminationGracePeriodSeconds together with the gRPC drain.
     */
    public void close(Duration wait) {
        shuttingDown = true;
        executors.values().forEach(TrainingExecutor::beginShutdown);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("jobs still running after the shutdown wait of {} s; interrupting them", wait.toSeconds());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executors.values().forEach(TrainingExecutor::close);
    }
}
