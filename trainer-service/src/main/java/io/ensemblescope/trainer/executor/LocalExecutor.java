package io.ensemblescope.trainer.executor;

import ai.djl.Device;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.models.NetworkCost;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.trainer.request.TrainRequests;
import java.util.function.BooleanSupplier;

/**
 * Trains a job's runs on this machine: one after another in this process (DJL allows one gradient collector per JVM),
 * or, for several runs with {@code parallelMembers > 1}, as parallel child processes.
 */
public final class LocalExecutor implements TrainingExecutor {
    private final DatasetCatalog catalog;
    private final Device device;
    private final BooleanSupplier shuttingDown;

    /**
     * Training compute per member (≈ 3 × forward FLOPs × images × epochs) below which members train one after another
     * in this process even when child JVMs are allowed: a child's start (JVM, libtorch, its own dataset decode) costs
     * about 5 CPU-seconds here, more than a member of a quick MNIST study (≈ 2·10¹⁰ FLOPs, a second of training)
     * takes; the full MNIST study's members (≈ 2·10¹¹) and every CIFAR one still train in parallel children.
     */
    public static final double MIN_CHILD_TRAINING_FLOPS = 1e11;

    private final MemberProcesses processes;
    private final double minChildFlops;

    /** Runs every job in this process, one run after another. */
    public LocalExecutor(DatasetCatalog catalog, Device device, BooleanSupplier shuttingDown) {
        this(catalog, device, shuttingDown, 1);
    }

    /**
     * @param parallelMembers Deep-Ensemble members trained at once, each in a child JVM whatever the job's size; 1
     *     trains them one after another in this process
     */
    public LocalExecutor(DatasetCatalog catalog, Device device, BooleanSupplier shuttingDown, int parallelMembers) {
        this(catalog, device, shuttingDown, parallelMembers, 0);
    }

    /**
     * @param minChildFlops training compute per member below which a job's members train in this process anyway
     *     ({@link #MIN_CHILD_TRAINING_FLOPS} for a server; 0: children whenever {@code parallelMembers > 1})
     */
    public LocalExecutor(DatasetCatalog catalog, Device device, BooleanSupplier shuttingDown, int parallelMembers,
                         double minChildFlops) {
        this.catalog = catalog;
        this.device = device;
        this.shuttingDown = shuttingDown;
        this.processes = parallelMembers > 1
                ? new MemberProcesses(parallelMembers, deviceFlag(device), shuttingDown) : null;
        this.minChildFlops = minChildFlops;
    }

    private static String deviceFlag(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public void train(JobContext job) throws Exception {
        boolean children = processes != null && job.runs() > 1;
        if (children && minChildFlops <= 0) { // children whatever the size: no need to load the data here
            processes.trainAll(job);
            return;
        }
        JobSpec spec = TrainRequests.toJobSpec(job.request(), catalog);
        TrainingData data = TrainingData.holdOut(
                catalog.load(TrainRequests.dataset(job.request().getDataset(), catalog)), spec.validationFraction());
        if (children && memberTrainingFlops(spec, data) >= minChildFlops) {
            processes.trainAll(job);
            return;
        }
        RunControl control = new RunControl() {
            @Override
            public boolean cancelled() {
                return job.cancelled().getAsBoolean();
            }

            @Override
            public boolean preempted() {
                return shuttingDown.getAsBoolean();
            }
        };
        LocalRuns.trainAll(spec, data, job.workDir(), device, events(job), control);
    }

    /** Forward and backward (≈ 3 forwards) of one run over every training image of every epoch. */
    static double memberTrainingFlops(JobSpec spec, TrainingData data) {
        double forward = NetworkCost.of(spec.network(), data.train().numClasses(), 0)
                .runForwardFlopsPerSample(spec.network().method());
        return 3 * forward * data.train().size() * spec.config().epochs();
    }

    /** Maps core progress to contract events. */
    static TrainListener events(JobContext job) {
        return new TrainListener() {
            @Override
            public void onStep(int run, StepProgress p) {
                job.events().accept(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STEP).setMember(run)
                        .setEpoch(p.epoch()).setStep(p.step()).setTotalSteps(p.totalSteps()).setLoss(p.loss())
                        .setImagesPerSecond(p.imagesPerSecond()).setEtaSeconds(p.etaSeconds()).build());
            }

            @Override
            public void onEpoch(int run, EpochRecord r) {
                job.events().accept(TrainEvent.newBuilder().setKind(TrainEvent.Kind.EPOCH).setMember(run)
                        .setEpoch(r.epoch()).setLoss((float) r.loss())
                        .setValidationAccuracy((float) r.validationAccuracy())
                        .setImagesPerSecond((float) r.imagesPerSecond())
                        .setMessage(String.format("epoch %d took %.1f s", r.epoch(), r.seconds())).build());
            }
        };
    }
}
