package io.ensemblescope.cli.security;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.BatchingOptions;
import io.ensemblescope.api.v1.CancelJobRequest;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.LrSchedule;
import io.ensemblescope.api.v1.MemberProbabilities;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.api.v1.WeightDiversityRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Seeded generators of malformed requests for the three services, one family per results-table category. Every
 * trainer and evaluation request carries at least one invalid field, so no fuzz call can start real work; Predict
 * calls to the reference model may be valid (deadlines, cancels, huge inputs) and then run a forward.
 */
final class MalformedRequests {
    private static final String[] BAD_VERSIONS = {"../ref/v1", "/etc/passwd", "v1/../../..", "%2e%2e%2f", "..",
        "v", "V1", "v-1", "v1 ", "v1\u0000", "v" + "9".repeat(30), "latest", "~/v1", "v1/manifest.json"};
    private static final String[] BAD_NAMES = {"", "../ref", "/etc", "ref/..", "a\u0000b", ".jobs", "-x", "a b",
        "ref/v1", "..", "C:\\x", "ref\n"};
    private static final String[] BAD_PATHS = {"/etc", "/", "../../etc/passwd", "~", "C:\\Windows", "svhn/../..",
        "/proc/self/environ", "data", "."};

    private final Random rnd;
    private final String model;
    private final String jobId;

    /**
     * @param model the reference model: loaded, served by valid Predicts
     * @param jobId the finished job that trained it
     */
    MalformedRequests(long seed, String model, String jobId) {
        this.rnd = new Random(seed);
        this.model = model;
        this.jobId = jobId;
    }

    /** The next probe, from a family drawn at random (made on demand: some hold megabytes). */
    Probe next() {
        List<Supplier<Probe>> families = List.of(this::wrongLength, this::wrongDims, this::dtype, this::nonFinite,
                this::hugeString, this::badVersionOrPath, this::badBatchingOrCost, this::badHyperparameters,
                this::badJobOrCheckpoint, this::malformedChunks, this::badRunEvaluation, this::randomBytes,
                this::cancel, this::shortDeadline);
        return pick(families).get();
    }

    private <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    private String huge() {
        int n = 1 << (10 + rnd.nextInt(9)); // 1 Ki … 256 Ki characters
        return String.valueOf((char) ('a' + rnd.nextInt(26))).repeat(n);
    }

    private ModelRef ref() {
        return ModelRef.newBuilder().setName(model).build();
    }

    /** B real-looking pixel images for the reference model. */
    private PredictRequest.Builder predict(int b) {
        byte[] px = new byte[b * 784];
        rnd.nextBytes(px);
        return PredictRequest.newBuilder().setModel(ref()).setRequestId("fuzz")
                .setInput(Tensor.newBuilder().addShape(b).addShape(1).addShape(28).addShape(28).setDtype(DType.UINT8)
                        .setRawData(ByteString.copyFrom(px)));
    }

    private static ByteString floats(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return ByteString.copyFrom(buf.array());
    }

    private Probe wrongLength() {
        PredictRequest.Builder r = predict(1 + rnd.nextInt(8));
        ByteString data = r.getInput().getRawData();
        int delta = (1 + rnd.nextInt(1000)) * (rnd.nextBoolean() ? 1 : -1);
        ByteString changed = delta > 0 ? data.concat(ByteString.copyFrom(new byte[delta]))
                : data.substring(0, Math.max(0, data.size() + delta));
        return Probe.of("wrong lengths", InferenceServiceGrpc.getPredictMethod(),
                r.setInput(r.getInput().toBuilder().setRawData(changed)).build());
    }

    private Probe wrongDims() {
        Tensor.Builder t = Tensor.newBuilder().setDtype(DType.UINT8);
        int rank = rnd.nextInt(7);
        long[] choices = {0, -1, 1, 2, 27, 28, 29, 784, 4097, Integer.MAX_VALUE, 1L << 40, Long.MIN_VALUE};
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            long d = rank == 4 && i > 0 && rnd.nextBoolean() ? new long[] {1, 28, 28}[i - 1] : choices[rnd.nextInt(
                    choices.length)];
            t.addShape(d);
            elements = d > 0 && d < 100_000 ? elements * d : elements;
        }
        t.setRawData(ByteString.copyFrom(new byte[(int) Math.min(elements, 100_000)]));
        PredictRequest r = predict(1).setInput(t).build();
        if (r.getInput().getShapeList().equals(List.of(1L, 1L, 28L, 28L))) {
            r = r.toBuilder().setInput(t.addShape(1)).build(); // the one valid shape made invalid
        }
        return Probe.of("wrong dims", InferenceServiceGrpc.getPredictMethod(), r);
    }

    private Probe dtype() {
        PredictRequest.Builder r = predict(2);
        return Probe.of("dtypes", InferenceServiceGrpc.getPredictMethod(), r.setInput(r.getInput().toBuilder()
                .setDtypeValue(pick(new Integer[] {0, 3, 7, 99, -1, Integer.MAX_VALUE}))).build());
    }

    private Probe nonFinite() {
        int b = 1 + rnd.nextInt(4);
        float[] x = new float[b * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE};
        boolean everywhere = rnd.nextInt(4) == 0;
        for (int i = 0; i < (everywhere ? x.length : 1 + rnd.nextInt(5)); i++) {
            x[everywhere ? i : rnd.nextInt(x.length)] = pick(new Float[] {bad[0], bad[1], bad[2], bad[3], bad[4]});
        }
        PredictRequest.Builder r = predict(b);
        return Probe.of("non-finite inputs", InferenceServiceGrpc.getPredictMethod(), r.setInput(r.getInput()
                .toBuilder().setDtype(DType.FLOAT32).setRawData(floats(x))).build());
    }

    private Probe hugeString() {
        String s = huge();
        return switch (rnd.nextInt(6)) {
            case 0 -> Probe.of("huge strings", InferenceServiceGrpc.getPredictMethod(),
                    predict(1).setModel(ModelRef.newBuilder().setName(s)).build());
            case 1 -> Probe.of("huge strings", InferenceServiceGrpc.getLoadModelMethod(), LoadModelRequest
                    .newBuilder().setModel(ModelRef.newBuilder().setName(model).setVersion(s)).build());
            case 2 -> Probe.of("huge strings", InferenceServiceGrpc.getPredictMethod(),
                    predict(1).setRequestId(s).setMcSamples(3).build());
            case 3 -> Probe.of("huge strings", TrainerServiceGrpc.getStartTrainingMethod(),
                    train().setModelName(s).build());
            case 4 -> Probe.of("huge strings", TrainerServiceGrpc.getGetJobMethod(),
                    GetJobRequest.newBuilder().setJobId(s).build());
            default -> Probe.of("huge strings", MetricsServiceGrpc.getEvaluateMethod(), chunk(2, 3)
                    .setEvaluationId("a").build(), chunk(2, 3).setEvaluationId(s).build());
        };
    }

    private Probe badVersionOrPath() {
        ModelRef bad = rnd.nextBoolean() ? ModelRef.newBuilder().setName(model).setVersion(pick(BAD_VERSIONS)).build()
                : ModelRef.newBuilder().setName(pick(BAD_NAMES)).build();
        return switch (rnd.nextInt(7)) {
            case 0 -> Probe.of("bad versions and paths", InferenceServiceGrpc.getPredictMethod(),
                    predict(1).setModel(bad).build());
            case 1 -> Probe.of("bad versions and paths", InferenceServiceGrpc.getGetModelMethod(),
                    GetModelRequest.newBuilder().setModel(bad).build());
            case 2 -> Probe.of("bad versions and paths", InferenceServiceGrpc.getLoadModelMethod(),
                    LoadModelRequest.newBuilder().setModel(bad).build());
            case 3 -> Probe.of("bad versions and paths", InferenceServiceGrpc.getUnloadModelMethod(),
                    UnloadModelRequest.newBuilder().setModel(bad).build());
            case 4 -> Probe.of("bad versions and paths", TrainerServiceGrpc.getGetCheckpointMethod(), bad);
            case 5 -> Probe.of("bad versions and paths", MetricsServiceGrpc.getWeightDiversityMethod(),
                    WeightDiversityRequest.newBuilder().setCheckpoint(bad).build());
            default -> Probe.of("bad versions and paths", TrainerServiceGrpc.getStartTrainingMethod(),
                    train().setDataset(train().getDataset().toBuilder().setPath(pick(BAD_PATHS))).build());
        };
    }

    private Probe badBatchingOrCost() {
        if (rnd.nextBoolean()) {
            BatchingOptions.Builder b = BatchingOptions.newBuilder().setMaxBatchSize(1 + rnd.nextInt(64));
            switch (rnd.nextInt(4)) {
                case 0 -> b.setMaxBatchSize(4097 + rnd.nextInt(Integer.MAX_VALUE - 4097));
                case 1 -> b.setMaxQueueDelayMicros(100_001 + (long) rnd.nextInt(Integer.MAX_VALUE) * 1000);
                case 2 -> b.setMaxQueueSize(1025 + rnd.nextInt(Integer.MAX_VALUE - 1025));
                default -> b.setMaxBatchSize(-1 - rnd.nextInt(1000));
            }
            return Probe.of("batching and cost", InferenceServiceGrpc.getLoadModelMethod(),
                    LoadModelRequest.newBuilder().setModel(ref()).setBatching(b).build());
        }
        // More rows than one request may hold (refused on the shape, before the bytes), or a T on a single model.
        PredictRequest.Builder r = predict(1);
        return Probe.of("batching and cost", InferenceServiceGrpc.getPredictMethod(), rnd.nextBoolean()
                ? r.setInput(r.getInput().toBuilder().setShape(0, 4097 + rnd.nextInt(1 << 20))).build()
                : r.setMcSamples(1 + rnd.nextInt(1000)).build());
    }

    /** A valid, tiny training request: every fuzz mutation below makes it invalid. */
    private static TrainRequest.Builder train() {
        return TrainRequest.newBuilder().setModelName("fuzz").setMethod(Method.SINGLE).setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(400))
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f))
                .setEpochs(1).setBatchSize(100);
    }

    private Probe badHyperparameters() {
        List<UnaryOperator<TrainRequest.Builder>> invalid = List.of(
            b -> b.setOptimizer(b.getOptimizer().toBuilder().setLearningRate(pick(new Float[] {
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -1f, -1e-9f}))),
            b -> b.setOptimizer(b.getOptimizer().toBuilder().setWeightDecay(pick(new Float[] {
                Float.POSITIVE_INFINITY, Float.NaN, -1f}))),
            b -> b.setOptimizer(b.getOptimizer().toBuilder().setKind(OptimizerKind.SGD).setMomentum(pick(new Float[] {
                1f, 2f, Float.NaN, -0.5f}))),
            b -> b.setMethod(Method.DEEP_ENSEMBLE).setMembers(pick(new Integer[] {0, 1, -5, 1000, Integer.MAX_VALUE})),
            b -> b.setBatchSize(pick(new Integer[] {0, -1, Integer.MAX_VALUE, 100_000})),
            b -> b.setEpochs(pick(new Integer[] {0, -1, 1_000_000})),
            b -> b.setDataset(b.getDataset().toBuilder().setName(pick(new String[] {"imagenet", "", "../mnist"}))),
            b -> b.setDataset(b.getDataset().toBuilder().setShift(pick(new String[] {"rotate-x", "blur", "../"}))),
            b -> b.setDataset(b.getDataset().toBuilder().setOffset(-1 - rnd.nextInt(10))),
            b -> b.setArchitecture(pick(new String[] {"vgg", "", "mnist-mlp\u0000", "resnet18/../x"})),
            b -> b.setModelName(pick(BAD_NAMES)),
            b -> b.setMethodValue(pick(new Integer[] {0, 9, -1})),
            b -> b.setValidationFraction(pick(new Float[] {Float.NaN, 0.9f, -0.1f})),
            b -> b.setDropoutRate(pick(new Float[] {Float.NaN, 1f, 1.5f, -0.1f})),
            b -> b.setMcSamples(pick(new Integer[] {-1, 100_000})),
            b -> b.setLrSchedule(LrSchedule.newBuilder().addMilestones(3).addMilestones(2)),
            b -> b.setLrSchedule(LrSchedule.newBuilder().setGamma(pick(new Float[] {Float.NaN, 2f, -1f}))),
            b -> b.setMethod(Method.BATCH_ENSEMBLE).setMembers(2).setBatchEnsemble(BatchEnsembleOptions.newBuilder()
                    .setInitStd(Float.NaN)),
            b -> b.setMethod(Method.BATCH_ENSEMBLE).setMembers(2).setBatchEnsemble(BatchEnsembleOptions.newBuilder()
                    .setRank(pick(new Integer[] {-1, 1000}))),
            b -> b.addSeeds(1).addSeeds(2).addSeeds(3),
            b -> b.setExecutor(ExecutorKind.KUBERNETES));
        TrainRequest.Builder b = train();
        for (int i = 0; i <= rnd.nextInt(2); i++) {
            b = pick(invalid).apply(b);
        }
        return Probe.of("bad hyperparameters", TrainerServiceGrpc.getStartTrainingMethod(), b.build());
    }

    private Probe badJobOrCheckpoint() {
        String id = pick(new String[] {"job-" + Integer.toHexString(rnd.nextInt()), "../" + jobId, "", "/etc",
            jobId + "/..", huge()});
        return switch (rnd.nextInt(5)) {
            case 0 -> Probe.of("job ids and resumes", TrainerServiceGrpc.getGetJobMethod(),
                    GetJobRequest.newBuilder().setJobId(id).build());
            case 1 -> Probe.of("job ids and resumes", TrainerServiceGrpc.getCancelJobMethod(),
                    CancelJobRequest.newBuilder().setJobId(id).build());
            case 2 -> Probe.of("job ids and resumes", TrainerServiceGrpc.getStartTrainingMethod(),
                    train().setModelName("hijack").setResumeJobId(jobId).build());
            case 3 -> Probe.of("job ids and resumes", TrainerServiceGrpc.getStartTrainingMethod(),
                    TrainRequest.newBuilder().setResumeJobId(id).build());
            default -> Probe.of("job ids and resumes", TrainerServiceGrpc.getGetCheckpointMethod(),
                    ModelRef.newBuilder().setName("none-" + rnd.nextInt(1000)).build());
        };
    }

    /** A chunk of k members × B samples × 10 classes of valid probabilities, labelled. */
    private EvaluationChunk.Builder chunk(int k, int b) {
        float[] p = new float[k * b * 10];
        java.util.Arrays.fill(p, 0.1f);
        EvaluationChunk.Builder c = EvaluationChunk.newBuilder().setEvaluationId("fuzz").setModel(ref())
                .setSplit(Split.newBuilder().setKind(SplitKind.IN_DISTRIBUTION).setName("in"))
                .setProbabilities(MemberProbabilities.newBuilder().setMembers(k).setBatch(b).setClasses(10)
                        .setData(floats(p)));
        for (int j = 0; j < b; j++) {
            c.addLabels(rnd.nextInt(10));
        }
        return c;
    }

    private Probe malformedChunks() {
        int k = 1 + rnd.nextInt(4);
        int b = 1 + rnd.nextInt(16);
        List<EvaluationChunk> chunks = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            chunks.add(chunk(k, b).build());
        }
        EvaluationChunk.Builder bad = chunk(k, b);
        MemberProbabilities.Builder p = bad.getProbabilities().toBuilder();
        boolean none = false;
        switch (rnd.nextInt(10)) {
            case 0 -> p.setMembers(pick(new Integer[] {0, -1, 100_000, k + 1}));
            case 1 -> p.setBatch(pick(new Integer[] {0, -1, Integer.MAX_VALUE, b + 1}));
            case 2 -> p.setClasses(pick(new Integer[] {0, -1, Integer.MAX_VALUE, 11}));
            case 3 -> p.setData(p.getData().substring(0, p.getData().size() - 1 - rnd.nextInt(4)));
            case 4 -> {
                float[] nan = new float[k * b * 10];
                java.util.Arrays.fill(nan, pick(new Float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.1f, 0.5f}));
                p.setData(floats(nan));
            }
            case 5 -> bad.clearLabels().addLabels(10).addLabels(-1);
            case 6 -> bad.setSplit(Split.newBuilder().setKindValue(pick(new Integer[] {0, 9})).setName("x"));
            case 7 -> bad.setSplit(bad.getSplit().toBuilder().setName(pick(new String[] {"", " "})));
            case 8 -> bad.setEvaluationId("other");
            default -> none = true;
        }
        if (rnd.nextInt(10) > 0) {
            chunks.add(none ? bad.clearProbabilities().build() : bad.setProbabilities(p).build());
        } // else: an empty stream, which has no report
        return Probe.of("malformed chunks", MetricsServiceGrpc.getEvaluateMethod(),
                chunks.toArray(EvaluationChunk[]::new));
    }

    private Probe badRunEvaluation() {
        RunEvaluationRequest.Builder r = RunEvaluationRequest.newBuilder().setModel(ref())
                .addDatasets(EvaluationDataset.newBuilder().setSplit(Split.newBuilder()
                        .setKind(SplitKind.IN_DISTRIBUTION).setName("in"))
                        .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(16)));
        switch (rnd.nextInt(8)) {
            case 0 -> r.setInferenceTarget(pick(new String[] {"10.0.0.1:50052", "169.254.169.254:80", "localhost:22",
                "dns:///evil.example:443", "unix:///var/run/docker.sock"}));
            case 1 -> r.setDatasets(0, r.getDatasets(0).toBuilder().setDataset(r.getDatasets(0).getDataset()
                    .toBuilder().setPath(pick(BAD_PATHS))));
            case 2 -> r.setDatasets(0, r.getDatasets(0).toBuilder().setSplit(Split.newBuilder()
                    .setKind(SplitKind.IN_DISTRIBUTION).setName(pick(new String[] {"", "../x", "a b", huge()}))));
            case 3 -> r.clearDatasets();
            case 4 -> r.setBatchSize(pick(new Integer[] {-1, 65_537, Integer.MAX_VALUE}));
            case 5 -> r.setMcSamples(-1 - rnd.nextInt(100));
            case 6 -> r.setDatasets(0, r.getDatasets(0).toBuilder().setSplit(Split.newBuilder()
                    .setKind(SplitKind.OOD).setName("ood")));
            default -> r.setModel(ModelRef.newBuilder().setName(model).setVersion(pick(BAD_VERSIONS)))
                    .setInferenceTarget("x:1");
        }
        return Probe.of("RunEvaluation targets and datasets", MetricsServiceGrpc.getRunEvaluationMethod(),
                r.build());
    }

    private Probe randomBytes() {
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
        for (ServiceDescriptor s : List.of(InferenceServiceGrpc.getServiceDescriptor(),
                TrainerServiceGrpc.getServiceDescriptor(), MetricsServiceGrpc.getServiceDescriptor())) {
            methods.addAll(s.getMethods());
        }
        byte[] bytes = new byte[rnd.nextInt(2048)];
        rnd.nextBytes(bytes);
        return Probe.raw("random bytes", pick(methods), bytes);
    }

    private Probe cancel() {
        return switch (rnd.nextInt(3)) {
            case 0 -> Probe.of("cancels", InferenceServiceGrpc.getPredictStreamMethod(), predict(2).build(),
                    predict(3).setRequestId("b").build(), predict(1).setRequestId("c").build()).cancelled();
            case 1 -> Probe.of("cancels", MetricsServiceGrpc.getEvaluateMethod(), chunk(2, 4).build(),
                    chunk(2, 4).build()).cancelled();
            default -> Probe.of("cancels", InferenceServiceGrpc.getPredictMethod(), predict(8).build()).cancelled();
        };
    }

    private Probe shortDeadline() {
        Probe p = switch (rnd.nextInt(4)) {
            case 0 -> Probe.of("1 ms deadlines", InferenceServiceGrpc.getPredictMethod(), predict(4).build());
            case 1 -> Probe.of("1 ms deadlines", InferenceServiceGrpc.getListModelsMethod(),
                    ListModelsRequest.getDefaultInstance());
            case 2 -> Probe.of("1 ms deadlines", InferenceServiceGrpc.getPredictStreamMethod(), predict(2).build(),
                    predict(2).setRequestId("b").build());
            default -> Probe.of("1 ms deadlines", MetricsServiceGrpc.getEvaluateMethod(), chunk(2, 8).build());
        };
        return p.withDeadline(1);
    }
}
