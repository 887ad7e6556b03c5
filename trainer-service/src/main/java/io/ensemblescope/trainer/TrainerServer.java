package io.ensemblescope.trainer;

import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.rpc.CommandLines;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.ensemblescope.rpc.StoreOption;
import io.ensemblescope.trainer.executor.LocalExecutor;
import io.ensemblescope.trainer.executor.TrainingExecutor;
import io.ensemblescope.trainer.executor.kubernetes.KubernetesExecutor;
import io.ensemblescope.trainer.executor.kubernetes.KubernetesExecutorEnvironment;
import io.ensemblescope.trainer.grpc.TrainerServiceImpl;
import io.ensemblescope.trainer.jobs.JobManager;
import io.ensemblescope.trainer.jobs.TrainingLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The trainer service: TrainerService over gRPC, Prometheus on its own port. */
@Command(name = "trainer-server", mixinStandardHelpOptions = true, description = "Runs the EnsembleScope trainer.")
public final class TrainerServer implements Callable<Integer> {
    public static final int DEFAULT_PORT = 50051;
    public static final int DEFAULT_METRICS_PORT = 9101;

    @Mixin
    ServerOptions listen = new ServerOptions(DEFAULT_PORT, DEFAULT_METRICS_PORT);

    @Mixin
    StoreOption store = new StoreOption();

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N.")
    String device = "auto";

    @Option(names = "--parallel-members", description = "Deep-Ensemble members trained at once as child processes "
            + "(1: one after another in this process; default: the number of cores). Members of under 10^11 FLOPs of "
            + "training each, such as a quick MNIST study's, train in this process anyway: a child's start costs more.")
    int parallelMembers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-jobs", description = "Jobs trained at once.")
    int maxJobs = 1;

    @Option(names = "--max-queued-jobs", description = "Jobs waiting beyond this are refused (RESOURCE_EXHAUSTED).")
    int maxQueued = 64;

    @Option(names = "--limit-members", description = "Largest ensemble size k a request may ask for (default 32).")
    int maxMembers = TrainingLimits.DEFAULT.maxMembers();

    @Option(names = "--limit-batch-size", description = "Largest batch_size a request may ask for (default 8192).")
    int maxBatchSize = TrainingLimits.DEFAULT.maxBatchSize();

    @Option(names = "--limit-epochs", description = "Largest epochs a request may ask for (default 1000).")
    int maxEpochs = TrainingLimits.DEFAULT.maxEpochs();

    @Option(names = "--resume-interrupted", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Resume jobs a shutdown or crash interrupted when the trainer starts (each is announced in "
                    + "the log); with --no-resume-interrupted they wait for StartTraining with their resume_job_id.")
    boolean resumeInterrupted = true;

    @Option(names = "--shutdown-wait", paramLabel = "SECONDS", description = "How long a stopping trainer waits for "
            + "its running jobs (local runs snapshot at their next step; Kubernetes member Jobs keep running for the "
            + "next trainer). Keep it below the pod's terminationGracePeriodSeconds. Default: ${DEFAULT-VALUE}.")
    long shutdownWaitSeconds = JobManager.DEFAULT_SHUTDOWN_WAIT.toSeconds();

    private ServiceServer server;
    private JobManager jobs;

    /** Starts a trainer on loopback {@code port} (0: any) with metrics on {@code metricsPort} (0: any, negative: none). */
    public static ServiceServer start(int port, int metricsPort, Path store, String device) throws Exception {
        return start(port, metricsPort, store, device, true);
    }

    /**
     * Like {@link #start(int, int, Path, String)}; {@code resumeInterrupted} false leaves interrupted jobs to an
     * explicit resume (what a command that only lists or trains its own job wants).
     */
    public static ServiceServer start(int port, int metricsPort, Path store, String device,
                                      boolean resumeInterrupted) throws Exception {
        return start(new ServerOptions(port, metricsPort), store, device, resumeInterrupted);
    }

    /** Starts a trainer listening as {@code listen} says (ports, host, TLS, authorization). */
    public static ServiceServer start(ServerOptions listen, Path store, String device, boolean resumeInterrupted)
            throws Exception {
        TrainerServer t = new TrainerServer();
        t.listen = listen;
        t.store.with(store);
        t.device = device;
        t.resumeInterrupted = resumeInterrupted;
        return t.start();
    }

    /** Builds and starts the server with this command's options. */
    public ServiceServer start() throws Exception {
        if (shutdownWaitSeconds < 0) {
            throw new IllegalArgumentException("--shutdown-wait must be 0 or more seconds, got " + shutdownWaitSeconds);
        }
        listen.security(); // a refused --host or unreadable credentials fail before anything starts
        Engines.offline();
        CheckpointStore checkpoints = new CheckpointStore(store.writable());
        PrometheusMeterRegistry registry = Meters.newRegistry("trainer");
        Map<ExecutorKind, TrainingExecutor> executors = new EnumMap<>(ExecutorKind.class);
        JobManager[] holder = new JobManager[1];
        executors.put(ExecutorKind.LOCAL, new LocalExecutor(DatasetCatalog.shared(), Engines.device(device),
                () -> holder[0] != null && holder[0].shuttingDown(), parallelMembers,
                LocalExecutor.MIN_CHILD_TRAINING_FLOPS));
        // Deployed by the Helm chart: member Jobs are described by ESCOPE_K8S_* and may be the default executor.
        Map<String, String> env = System.getenv();
        if (KubernetesExecutorEnvironment.configured(env)) {
            executors.put(ExecutorKind.KUBERNETES, KubernetesExecutor.fromEnvironment());
        }
        jobs = new JobManager(checkpoints, DatasetCatalog.shared(), executors,
                KubernetesExecutorEnvironment.defaultExecutor(env), maxJobs, maxQueued, registry,
                new TrainingLimits(maxMembers, maxBatchSize, maxEpochs, TrainingLimits.DEFAULT.maxMcSamples()));
        holder[0] = jobs;
        server = listen.configure(ServiceServer.builder("trainer", registry))
                .addService(new TrainerServiceImpl(jobs, checkpoints))
                .beforeStop(() -> jobs.close(java.time.Duration.ofSeconds(shutdownWaitSeconds)))
                .build().start();
        jobs.recover(resumeInterrupted);
        return server;
    }

    @Override
    public Integer call() throws Exception {
        start().blockUntilShutdown();
        return 0;
    }

    public static void main(String[] args) {
        Engines.offline();
        System.exit(CommandLines.oneLineErrors(new TrainerServer(), "trainer-server").execute(args));
    }
}
