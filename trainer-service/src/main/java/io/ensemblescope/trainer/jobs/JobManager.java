package io.ensemblescope.trainer.jobs;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.AtomicFiles;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LossGuard;
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
import java.nio.charset.StandardCharsets;
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
 * fans events out to subscribers, and on start resumes jobs a previous process left unfinished. Knows nothing of gRPC.
 */
public final class JobManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobManager.class);
    static final String REQUEST_FILE = "request.json";
    static final String COMMITTED_FILE = "COMMITTED";

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
                JobState.CANCELLED)) {
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
     * Validates and queues a job; the subscriber sees every event from STARTED to the terminal one.
     *
     * @throws IllegalArgumentException naming the bad field
     * @throws java.util.concurrent.RejectedExecutionException when the queue is full
     */
    public Job submit(TrainRequest asked, Consumer<TrainEvent> subscriber) throws IOException {
        boolean resume = !asked.getResumeJobId().isEmpty();
        String id = resume ? CheckpointStore.checkName(asked.getResumeJobId(), "resume_job_id") : newId();
        if (jobs.containsKey(id)) {
            throw new IllegalStateException("job " + id + " is already known to this trainer");
        }
        Path work = store.jobDir(id);
        TrainRequest request = resume ? Resumption.original(asked, work) : asked;
        if (!resume) {
            limits.check(request);
        }
        JobSpec spec = TrainRequests.toJobSpec(request, catalog);
        TrainingExecutor executor = executorFor(request);
        if (!resume) {
            Files.createDirectories(work);
            AtomicFiles.write(work.resolve(REQUEST_FILE),
                    JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8));
        }
        TrainingJob job = new TrainingJob(id, request);
        if (subscriber != null) {
            job.subscribe(subscriber);
        }
        jobs.put(id, job);
        try {
            pool.execute(() -> run(job, spec, executor, work));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            jobs.remove(id);
            throw new java.util.concurrent.RejectedExecutionException("training queue is full ("
                    + pool.getQueue().size() + " jobs waiting); retry later", e);
        }
        return job.toProto();
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

    private void run(TrainingJob job, JobSpec spec, TrainingExecutor executor, Path work) {
        job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STARTED).setMember(-1)
                .setMessage("executor " + executor.kind() + ", " + spec.runs() + " run(s)").build());
        Consumer<TrainEvent> events = e -> {
            if (e.getKind() == TrainEvent.Kind.EPOCH) {
                lastImagesPerSecond.set((double) e.getImagesPerSecond());
            }
            job.publish(e);
        };
        long epochStart = System.nanoTime();
        try {
            executor.train(new JobContext(job.id, job.request, work, spec.runs(), events, job::cancelled));
            TrainingData data = TrainingData.holdOut(catalog.load(TrainRequests.dataset(
                    job.request.getDataset(), catalog)), spec.validationFraction());
            Manifest m = CheckpointAssembler.assemble(store, spec, data, work);
            AtomicFiles.write(work.resolve(COMMITTED_FILE), (m.name() + "/" + m.version()).getBytes(
                    StandardCharsets.UTF_8));
            m.history().forEach(h -> h.forEach(r -> epochSeconds.record(Duration.ofMillis(
                    (long) (r.seconds() * 1000)))));
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.COMPLETED).setMember(-1)
                    .setValidationAccuracy(m.metrics().get("validation_accuracy").floatValue())
                    .setCheckpoint(ModelRef.newBuilder().setName(m.name()).setVersion(m.version()))
                    .setMessage("checkpoint " + m.name() + "/" + m.version()).build());
        } catch (RunControl.PreemptedException e) {
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.CANCELLED).setMember(-1)
                    .setMessage("trainer shut down; snapshot kept, the job resumes when the trainer restarts")
                    .build());
        } catch (CancellationException e) {
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.CANCELLED).setMember(-1)
                    .setMessage("cancelled").build());
        } catch (Exception | Error e) {
            if (e instanceof LossGuard.DivergedException || e instanceof IllegalArgumentException) {
                log.warn("job {} failed: {}", job.id, e.getMessage()); // the request's fault, not the trainer's
            } else {
                log.warn("job {} failed", job.id, e);
            }
            job.publish(TrainEvent.newBuilder().setKind(TrainEvent.Kind.FAILED).setMember(-1)
                    .setMessage(e.getClass().getSimpleName() + ": " + e.getMessage()).build());
        }
        log.debug("job {} took {} s", job.id, (System.nanoTime() - epochStart) / 1e9);
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
     * Re-submits jobs a previous process left unfinished in the store (request written, no checkpoint committed);
     * their runs resume from their snapshots. Returns the ids resumed.
     */
    public List<String> resumeUnfinished() throws IOException {
        Path jobsDir = store.root().resolve(".jobs");
        if (!Files.isDirectory(jobsDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            List<String> resumed = new java.util.ArrayList<>();
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String id = dir.getFileName().toString();
                if (jobs.containsKey(id) || Files.exists(dir.resolve(COMMITTED_FILE))
                        || !Files.exists(dir.resolve(REQUEST_FILE))) {
                    continue;
                }
                TrainRequest.Builder b = TrainRequest.newBuilder();
                JsonFormat.parser().merge(Files.readString(dir.resolve(REQUEST_FILE)), b);
                submit(b.setResumeJobId(id).build(), null);
                resumed.add(id);
            }
            return resumed;
        }
    }

    private int count(JobState state) {
        return (int) jobs.values().stream().filter(j -> j.toProto().getState() == state).count();
    }

    private static String newId() {
        return "job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Asks running local jobs to snapshot at their next step boundary, then waits for them. */
    @Override
    public void close() {
        shuttingDown = true;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executors.values().forEach(TrainingExecutor::close);
    }
}
