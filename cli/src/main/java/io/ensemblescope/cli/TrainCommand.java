package io.ensemblescope.cli;

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
import io.ensemblescope.cli.config.Defaults;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.progress.TrainingProgress;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.security.ClientOptions;
import io.ensemblescope.trainer.request.TrainRequests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escope train}: submits a training job to a trainer (a running one with {@code --trainer}, else one started
 * in this process) and follows it to its checkpoint. With {@code --job-dir} and {@code --member} it instead trains
 * one run of an existing job in place, as a Kubernetes Job's container does. Every option is checked before the
 * engine loads or a job is submitted.
 */
@Command(name = "train", description = "Train a model into the checkpoint store (or one run of a job).")
final class TrainCommand implements Callable<Integer> {
    /** The request fields core and the trainer name in their messages, and the flags that set them. */
    static final FieldFlags FLAGS = new FieldFlags("model_name", "--name", "members", "--members",
            "epochs", "--epochs", "batch_size", "--batch-size", "mc_samples", "--mc-samples", "dataset.name",
            "--dataset", "dataset.limit", "--limit", "architecture", "--architecture", "batch_ensemble.rank", "--rank",
            "dropout_rate", "--dropout", "optimizer.learning_rate", "--lr", "optimizer.momentum", "--momentum",
            "optimizer.weight_decay", "--weight-decay", "seeds", "--seed", "method", "--method");
    static final List<String> METHODS = List.of("single", "mc-dropout", "deep-ensemble", "batch-ensemble");
    static final int MAX_MEMBERS = 64;

    /** What to train: a new model (--name), or one run of an existing job (--job-dir with --member). */
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--name", required = true, description = "Model name in the checkpoint store; training"
                + " adds a version of it.")
        String name;

        @ArgGroup(exclusive = false)
        JobRun run;

        @Option(names = "--resume", required = true, paramLabel = "JOB", description = "Resume the interrupted job"
                + " JOB from its snapshots (or follow it when a trainer is already running it); its recorded options"
                + " are used.")
        String resume;
    }

    static final class JobRun {
        @Option(names = "--job-dir", required = true, description = "Work directory of an existing job (it holds"
                + " request.json): train one of its runs in place.")
        Path jobDir;

        @Option(names = "--member", required = true, description = "With --job-dir: the run (Deep-Ensemble member)"
                + " index, from 0.")
        int member;
    }

    @Option(names = "--trainer", description = "host:port of a running trainer (default: one started in this"
            + " process).")
    String trainer;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--store", description = "Checkpoint store of an in-process trainer (default: $ESCOPE_STORE,"
            + " else ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N.")
    String device = "auto";

    @Option(names = "--method", description = "single, mc-dropout, deep-ensemble or batch-ensemble.")
    String method = "batch-ensemble";

    @Option(names = "--members", description = "k for deep-ensemble and batch-ensemble (2.." + MAX_MEMBERS + ").")
    int members = 4;

    @Option(names = "--architecture", description = "mnist-mlp, resnet20 or resnet18.")
    String architecture = "mnist-mlp";

    @Option(names = "--dataset", description = "Training dataset, e.g. mnist or cifar10.")
    String dataset = "mnist";

    @Option(names = "--limit", description = "Training images taken, validation hold-out included (0: all).")
    int limit;

    @Option(names = "--epochs", description = "Training epochs (early stopping may end sooner).")
    int epochs = 10;

    @Option(names = "--batch-size", description = "Images per optimizer step.")
    int batchSize = 128;

    @Option(names = "--optimizer", description = "adam, adamw or sgd.")
    String optimizer = "adam";

    @Option(names = "--lr", description = "Learning rate.")
    float lr = 1e-3f;

    @Option(names = "--momentum", description = "sgd: momentum.")
    float momentum;

    @Option(names = "--nesterov", description = "sgd: Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "Weight decay.")
    float weightDecay = 1e-4f;

    @Option(names = "--milestones", split = ",", description = "Epochs after which the learning rate is multiplied"
            + " by --gamma, e.g. 25,50.")
    List<Integer> milestones = new ArrayList<>();

    @Option(names = "--gamma", description = "Learning-rate factor at each of --milestones.")
    float gamma = 0.1f;

    @Option(names = "--patience", description = "Early-stopping patience in epochs (0: off).")
    int patience = 2;

    @Option(names = "--dropout", description = "Dropout rate in [0, 1).")
    float dropout = 0.05f;

    @Option(names = "--mc-samples", description = "MC Dropout samples T recorded as the model's default (1..256).")
    int mcSamples = 8;

    @Option(names = "--seed", split = ",", description = "Seed values: one (member i of an ensemble gets seed + i),"
            + " or one per Deep-Ensemble member.")
    List<Long> seeds = List.of(1L);

    @Option(names = "--rank", description = "batch-ensemble: rank of the fast weights.")
    int rank = 1;

    @Option(names = "--fast-weight-init", description = "batch-ensemble: normal or random-sign.")
    String fastInit = "normal";

    @Option(names = "--split-batch", description = "batch-ensemble: split each batch across the members instead of"
            + " tiling it.")
    boolean splitBatch;

    @Option(names = "--member0-unperturbed", description = "batch-ensemble: member 0 computes with the plain W.")
    boolean member0;

    @Option(names = "--executor", description = "local or kubernetes (default: the trainer's own default, which a"
            + " Helm release sets to kubernetes).")
    String executor;

    @Override
    public Integer call() throws Exception {
        Values.device("--device", device);
        if (target.run != null) {
            Path dir = Values.existingDirectory("--job-dir", target.run.jobDir);
            Values.range("--member", target.run.member, 0, MAX_MEMBERS - 1);
            if (!Files.isRegularFile(dir.resolve("request.json"))) {
                throw new IllegalArgumentException("--job-dir " + Values.prefix(dir) + " holds no request.json: it is"
                        + " not a job's work directory");
            }
            return io.ensemblescope.trainer.executor.RunMain.run(dir, target.run.member, device, System.out);
        }
        if (target.resume != null) {
            Values.hostPort("--trainer", trainer);
            return resume();
        }
        TrainRequest request = validate();
        try (Targets.Trainer t = Targets.trainer(trainer, client, trainer == null ? Defaults.store(store) : null,
                device)) {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(t.channel());
            noteInterrupted(stub, target.name);
            return follow(stub.startTraining(request), request);
        } catch (StatusRuntimeException e) {
            // A running trainer checks the request too; its verdict names fields, the user typed flags.
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                throw FLAGS.translate(new IllegalArgumentException(e.getStatus().getDescription(), e));
            }
            throw e;
        }
    }

    /** Resumes (or follows) job {@code --resume} with the request it was submitted with. */
    private int resume() throws Exception {
        try (Targets.Trainer t = Targets.trainer(trainer, client, trainer == null ? Defaults.store(store) : null,
                device)) {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(t.channel());
            Job job = stub.getJob(GetJobRequest.newBuilder().setJobId(target.resume).build());
            TrainRequest recorded = job.getRequest();
            System.err.printf(Locale.ROOT, "job %s (model %s) is %s after epoch %d of %d%n", target.resume,
                    recorded.getModelName(), job.getState(), job.getEpochsCompleted(), recorded.getEpochs());
            return follow(stub.startTraining(TrainRequest.newBuilder().setResumeJobId(target.resume).build()),
                    recorded);
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

    /** The request, checked as the trainer will check it, before anything loads: errors name the flags. */
    TrainRequest validate() {
        Values.hostPort("--trainer", trainer);
        Values.range("--members", members, 1, MAX_MEMBERS);
        Values.range("--mc-samples", mcSamples, 1, 256);
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0: all), got " + limit);
        }
        TrainRequest request = request();
        try {
            TrainRequests.toJobSpec(request, DatasetCatalog.shared());
        } catch (IllegalArgumentException e) {
            throw FLAGS.translate(e);
        }
        if (trainer == null && limit > 0) {
            // The in-process trainer reads the same cache: loading the split now costs nothing later.
            int size = DatasetCatalog.shared().split(dataset, io.ensemblescope.datasets.Subset.TRAIN, null).size();
            if (limit > size) {
                throw new IllegalArgumentException("--limit " + limit + " exceeds the " + size + " training images"
                        + " of " + dataset + " (0: all)");
            }
        }
        return request;
    }

    TrainRequest request() {
        Method m = switch (Values.oneOf("--method", method, METHODS)) {
            case "single" -> Method.SINGLE;
            case "mc-dropout" -> Method.MC_DROPOUT;
            case "deep-ensemble" -> Method.DEEP_ENSEMBLE;
            default -> Method.BATCH_ENSEMBLE;
        };
        OptimizerKind kind = switch (Values.oneOf("--optimizer", optimizer, List.of("adam", "adamw", "sgd"))) {
            case "adamw" -> OptimizerKind.ADAMW;
            case "sgd" -> OptimizerKind.SGD;
            default -> OptimizerKind.ADAM;
        };
        Values.oneOf("--fast-weight-init", fastInit, List.of("normal", "random-sign"));
        if (executor != null) {
            Values.oneOf("--executor", executor, List.of("local", "kubernetes"));
        }
        return TrainRequest.newBuilder().setModelName(target.name).setMethod(m).setMembers(members)
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
                .setExecutor(executor == null ? ExecutorKind.EXECUTOR_KIND_UNSPECIFIED // the trainer's default
                        : executor.equals("kubernetes") ? ExecutorKind.KUBERNETES : ExecutorKind.LOCAL)
                .build();
    }
}
