package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;

import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.BatchMode;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.FastWeightInit;
import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ListJobsRequest;
import io.ensemblescope.api.v1.LrSchedule;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.Subset;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.progress.TrainingProgress;
import io.ensemblescope.rpc.security.ClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escope train}: submits a training job to a trainer (a running one with {@code --trainer}, else one started
 * in this process) and follows it to its checkpoint. With {@code --job-dir} and {@code --member} it instead trains
 * one run of an existing job in place, as a Kubernetes Job's container does.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model (or one run of a job).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--job-dir", description = "Train one run of the job in this work directory (holds request.json).")
    Path jobDir;

    @Option(names = "--member", description = "With --job-dir: the run (Deep-Ensemble member) index.")
    Integer member;

    @Option(names = "--trainer", description = "host:port of a running trainer (default: one in this process).")
    String trainer;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--store", description = "Checkpoint store of an in-process trainer (default: $ESCOPE_STORE,"
            + " else ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N.")
    String device = "auto";

    @Option(names = "--name", description = "Model name in the checkpoint store (required unless --resume).")
    String name;

    @Option(names = "--resume", paramLabel = "JOB", description = "Resume the interrupted job JOB from its snapshots "
            + "(or follow it when a trainer is already running it); its recorded options are used.")
    String resume;

    @Option(names = "--method", description = "single, mc-dropout, deep-ensemble or batch-ensemble.")
    String method = "batch-ensemble";

    @Option(names = "--members", description = "k for deep-ensemble and batch-ensemble.")
    int members = 4;

    @Option(names = "--architecture", description = "mnist-mlp, resnet20 or resnet18.")
    String architecture = "mnist-mlp";

    @Option(names = "--dataset", description = "Training dataset, e.g. mnist or cifar10.")
    String dataset = "mnist";

    @Option(names = "--limit", description = "Training images taken (0: all).")
    int limit;

    @Option(names = "--epochs")
    int epochs = 10;

    @Option(names = "--batch-size")
    int batchSize = 128;

    @Option(names = "--optimizer", description = "adam, adamw or sgd.")
    String optimizer = "adam";

    @Option(names = "--lr")
    float lr = 1e-3f;

    @Option(names = "--momentum")
    float momentum;

    @Option(names = "--nesterov")
    boolean nesterov;

    @Option(names = "--weight-decay")
    float weightDecay = 1e-4f;

    @Option(names = "--milestones", split = ",", description = "Epochs at which the LR is multiplied by --gamma.")
    List<Integer> milestones = new ArrayList<>();

    @Option(names = "--gamma")
    float gamma = 0.1f;

    @Option(names = "--patience", description = "Early-stopping patience in epochs (0: off).")
    int patience = 2;

    @Option(names = "--dropout", description = "Dropout rate.")
    float dropout = 0.05f;

    @Option(names = "--mc-samples", description = "Default T recorded for MC Dropout.")
    int mcSamples = 8;

    @Option(names = "--seed", split = ",", description = "One seed, or one per Deep-Ensemble member.")
    List<Long> seeds = List.of(1L);

    @Option(names = "--rank", description = "BatchEnsemble rank.")
    int rank = 1;

    @Option(names = "--fast-weight-init", description = "normal or random-sign.")
    String fastInit = "normal";

    @Option(names = "--split-batch", description = "BatchEnsemble: split each batch across members.")
    boolean splitBatch;

    @Option(names = "--member0-unperturbed", description = "BatchEnsemble: member 0 keeps the plain W.")
    boolean member0;

    @Option(names = "--executor", description = "local or kubernetes (default: the trainer's own default, which a"
            + " Helm release sets to kubernetes).")
    String executor;

    @Override
    public Integer call() throws Exception {
        if (jobDir != null || member != null) {
            if (jobDir == null || member == null) {
                throw new IllegalArgumentException("--job-dir and --member go together");
            }
            return io.ensemblescope.trainer.executor.RunMain.run(jobDir, member, device, System.out);
        }
        if (resume != null) {
            return resume();
        }
        if (name == null) {
            throw new IllegalArgumentException("--name is required");
        }
        TrainRequest request = request();
        try (Targets.Trainer t = Targets.trainer(trainer, client, trainer == null ? Defaults.store(store) : null,
                device)) {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(t.channel());
            noteInterrupted(stub, name);
            return follow(stub.startTraining(request), request);
        }
    }

    /** Resumes (or follows) job {@code --resume} with the request it was submitted with. */
    private int resume() throws Exception {
        try (Targets.Trainer t = Targets.trainer(trainer, client, trainer == null ? Defaults.store(store) : null,
                device)) {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(t.channel());
            Job job = stub.getJob(GetJobRequest.newBuilder().setJobId(resume).build());
            TrainRequest recorded = job.getRequest();
            System.err.printf(Locale.ROOT, "job %s (model %s) is %s after epoch %d of %d%n", resume,
                    recorded.getModelName(), job.getState(), job.getEpochsCompleted(), recorded.getEpochs());
            return follow(stub.startTraining(TrainRequest.newBuilder().setResumeJobId(resume).build()), recorded);
        }
    }

    /** Points at interrupted jobs of the same model, which this command does not resume on its own. */
    private static void noteInterrupted(TrainerServiceGrpc.TrainerServiceBlockingStub stub, String model) {
        for (Job j : stub.listJobs(ListJobsRequest.getDefaultInstance()).getJobsList()) {
            if (j.getState() == JobState.INTERRUPTED && j.getRequest().getModelName().equals(model)) {
                System.err.printf(Locale.ROOT, "note: job %s of model %s was interrupted after epoch %d of %d; "
                        + "`escope train --resume %s` continues it%n", j.getJobId(), model, j.getEpochsCompleted(),
                        j.getRequest().getEpochs(), j.getJobId());
            }
        }
    }

    private static int follow(Iterator<TrainEvent> events, TrainRequest request) {
        int runs = request.getMethod() == Method.DEEP_ENSEMBLE ? request.getMembers() : 1;
        TrainEvent done = TrainingProgress.follow(events, new ProgressBar(System.err,
                "train " + request.getModelName()), runs);
        System.out.printf(Locale.ROOT, "%s/%s validation accuracy %.4f%n", done.getCheckpoint().getName(),
                done.getCheckpoint().getVersion(), done.getValidationAccuracy());
        return 0;
    }

    TrainRequest request() {
        Method m = switch (method) {
            case "single" -> Method.SINGLE;
            case "mc-dropout" -> Method.MC_DROPOUT;
            case "deep-ensemble" -> Method.DEEP_ENSEMBLE;
            case "batch-ensemble" -> Method.BATCH_ENSEMBLE;
            default -> throw new IllegalArgumentException("--method must be single, mc-dropout, deep-ensemble or "
                    + "batch-ensemble, got " + method);
        };
        OptimizerKind kind = switch (optimizer) {
            case "adam" -> OptimizerKind.ADAM;
            case "adamw" -> OptimizerKind.ADAMW;
            case "sgd" -> OptimizerKind.SGD;
            default -> throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got " + optimizer);
        };
        return TrainRequest.newBuilder().setModelName(name).setMethod(m).setMembers(members)
                .setArchitecture(architecture)
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setSubset(Subset.TRAIN).setLimit(limit))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(kind).setLearningRate(lr).setMomentum(momentum)
                        .setNesterov(nesterov).setWeightDecay(weightDecay))
                .setLrSchedule(LrSchedule.newBuilder().addAllMilestones(milestones).setGamma(gamma))
                .setEpochs(epochs).setBatchSize(batchSize).setEarlyStoppingPatience(patience)
                .setDropoutRate(dropout).setMcSamples(mcSamples).addAllSeeds(seeds)
                .setBatchEnsemble(BatchEnsembleOptions.newBuilder().setRank(rank)
                        .setInit(fastInit.equals("random-sign") ? FastWeightInit.RANDOM_SIGN : FastWeightInit.NORMAL)
                        .setBatchMode(splitBatch ? BatchMode.SPLIT : BatchMode.TILE)
                        .setMember0Unperturbed(member0))
                .setExecutor(executor())
                .build();
    }

    /** Unspecified unless asked for, so the trainer's configured default applies. */
    private ExecutorKind executor() {
        if (executor == null) {
            return ExecutorKind.EXECUTOR_KIND_UNSPECIFIED;
        }
        return switch (executor) {
            case "local" -> ExecutorKind.LOCAL;
            case "kubernetes" -> ExecutorKind.KUBERNETES;
            default -> throw new IllegalArgumentException("--executor must be local or kubernetes, got "
                    + (executor.length() > 128 ? executor.substring(0, 128) + "…" : executor));
        };
    }
}
