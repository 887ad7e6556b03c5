package io.ensemblescope.inference.bench;

import ai.djl.Device;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.InputDType;
import io.ensemblescope.inference.serving.InputTensor;
import io.ensemblescope.inference.serving.PredictCall;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Side-by-side latency and throughput of every method, in-process (the serving core called directly) and over
 * loopback gRPC, one closed-loop client: on MNIST-MLP checkpoints trained for one epoch at batch 1, 32 and 256
 * (k = 4 for the ensembles, T = 4 for MC Dropout), or with {@code --arch resnet20} on untrained CIFAR-sized ResNet-20
 * checkpoints at batch 1 and 8. Prints a markdown section and, given {@code --out FILE}, replaces that section
 * ("## Inference" or "## Inference: ResNet-20") of the file (other sections stay).
 */
public final class InferenceBenchmark {
    private static final long CELL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int ROUNDS = 3;

    /** One measured cell. */
    record Cell(double p50Micros, double p99Micros, double samplesPerSecond) {}

    private InferenceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Engines.offline();
        Path out = null;
        boolean resnet = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[i + 1]);
                case "--arch" -> resnet = args[i + 1].equals(RandomResNetCheckpoints.ARCHITECTURE);
                default -> throw new IllegalArgumentException("usage: [--arch mnist-mlp|resnet20] [--out FILE]");
            }
        }
        CheckpointStore store = new CheckpointStore(Files.createTempDirectory("escope-inference-bench"));
        Workload work = resnet ? resnet20(store) : mnistMlp(store);

        ServingOptions options = ServingOptions.defaults(Device.cpu()); // replicas: cores / k threads each
        PrometheusMeterRegistry registry = Meters.newRegistry("inference-bench");
        InferenceEngine engine = new InferenceEngine(store, options, registry);
        InferenceServer.Running running = InferenceServer.start(0, -1, 256 << 20, engine, registry);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", running.server().port())
                .usePlaintext().maxInboundMessageSize(256 << 20).build();
        InferenceServiceGrpc.InferenceServiceBlockingStub stub = InferenceServiceGrpc.newBlockingStub(channel);

        Map<String, Meter> inProcess = new LinkedHashMap<>();
        Map<String, Meter> grpc = new LinkedHashMap<>();
        // Rounds interleave every configuration, so load from other processes drifts over all of them alike.
        for (int round = 0; round < ROUNDS; round++) {
            for (int b : work.batches()) {
                for (String[] row : work.rows()) {
                    int batch = b * Integer.parseInt(row[2]);
                    PredictRequest r = work.requests().apply(row[1], batch);
                    String key = row[0] + "@" + b;
                    inProcess.computeIfAbsent(key, k -> new Meter(batch))
                            .measure(() -> engine.predict(toCall(r)).get());
                    grpc.computeIfAbsent(key, k -> new Meter(batch)).measure(() -> stub.predict(r));
                }
            }
            System.err.printf("round %d of %d done%n", round + 1, ROUNDS);
        }
        channel.shutdownNow();
        running.stop();
        String section = render(work, inProcess, grpc);
        System.out.println(section);
        if (out != null) {
            replaceSection(out, work.heading(), section);
        }
    }

    /**
     * What one run measures: the section it writes, its batch sizes, its rows (label, model, batch multiplier;
     * single(4B) is the FLOP-equal baseline of BE(k=4, B)) and how requests are made.
     */
    record Workload(String heading, String description, int[] batches, String[][] rows,
                    java.util.function.BiFunction<String, Integer, PredictRequest> requests) {}

    private static Workload mnistMlp(CheckpointStore store) throws Exception {
        TrainingData data = TinyCheckpoints.trainingSlice();
        TinyCheckpoints.train(store, data, "single", Method.SINGLE, 1, 1);
        TinyCheckpoints.train(store, data, "mc", Method.MC_DROPOUT, 1, 1);
        TinyCheckpoints.train(store, data, "de", Method.DEEP_ENSEMBLE, 4, 1);
        TinyCheckpoints.train(store, data, "be", Method.BATCH_ENSEMBLE, 4, 1);
        return new Workload("## Inference", "Every method served by the inference service's core, on MNIST-MLP"
                + " checkpoints trained for one epoch on 2,000 images (k = 4 for the ensembles, T = 4 for MC Dropout;"
                + " accuracy is irrelevant here), raw UINT8 MNIST pixels in", new int[] {1, 32, 256},
                new String[][] {{"single", "single", "1"}, {"single(4B)", "single", "4"}, {"mc T=4", "mc", "1"},
                    {"deep ensemble k=4", "de", "1"}, {"batch ensemble k=4", "be", "1"}},
                (model, batch) -> batch > 512 ? repeated(model, batch) : ServerHarness.pixels(model, 0, batch));
    }

    private static Workload resnet20(CheckpointStore store) throws Exception {
        RandomResNetCheckpoints.commit(store, "single", Method.SINGLE, 1);
        RandomResNetCheckpoints.commit(store, "de", Method.DEEP_ENSEMBLE, 4);
        RandomResNetCheckpoints.commit(store, "be", Method.BATCH_ENSEMBLE, 4);
        return new Workload("## Inference: ResNet-20", "Single model, Deep Ensemble and BatchEnsemble (k = 4, rank 1)"
                + " served by the inference service's core, on CIFAR-sized ResNet-20 checkpoints (input 3×32×32) with"
                + " their seeded He-normal initial weights, untrained (latency does not depend on the weights), random"
                + " UINT8 pixels in", new int[] {1, 8},
                new String[][] {{"single", "single", "1"}, {"single(4B)", "single", "4"},
                    {"deep ensemble k=4", "de", "1"}, {"batch ensemble k=4", "be", "1"}},
                RandomResNetCheckpoints::request);
    }

    /** B real test images, cycling through the first 512 when B is larger. */
    private static PredictRequest repeated(String model, int batch) {
        PredictRequest base = ServerHarness.pixels(model, 0, 512);
        byte[] src = base.getInput().getRawData().toByteArray();
        byte[] px = new byte[batch * 784];
        for (int i = 0; i < px.length; i += src.length) {
            System.arraycopy(src, 0, px, i, Math.min(src.length, px.length - i));
        }
        return base.toBuilder().setInput(base.getInput().toBuilder().setShape(0, batch)
                .setRawData(com.google.protobuf.ByteString.copyFrom(px))).build();
    }

    private static PredictCall toCall(PredictRequest r) {
        long[] shape = r.getInput().getShapeList().stream().mapToLong(Long::longValue).toArray();
        return PredictCall.of(r.getModel().getName(), "", new InputTensor(shape, InputDType.UINT8,
                r.getInput().getRawData().asReadOnlyByteBuffer()), 0, false, "bench");
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Latencies of one configuration over every round, and the calls and time they took. */
    static final class Meter {
        final int batch;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long calls;
        long nanos;

        Meter(int batch) {
            this.batch = batch;
        }

        /** Warm-up, then one closed-loop client for {@link #CELL_NANOS} (at least 10 calls). */
        void measure(Call call) throws Exception {
            for (int i = 0; i < 10; i++) {
                call.run();
            }
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - start < CELL_NANOS || n < 10) {
                long t0 = System.nanoTime();
                call.run();
                latency.recordValue(System.nanoTime() - t0);
                n++;
            }
            calls += n;
            nanos += System.nanoTime() - start;
        }

        Cell cell() {
            return new Cell(latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    calls * batch / (nanos / 1e9));
        }
    }

    private static String render(Workload work, Map<String, Meter> in, Map<String, Meter> grpc) {
        StringBuilder s = new StringBuilder();
        s.append(work.heading()).append("\n\n").append(work.description());
        s.append(", per-member probabilities out, one closed-loop client; every configuration is measured"
                + " for 0.5 s (at least 10 calls, after 10 warm-up calls) in each of 3 interleaved rounds and the"
                + " rounds are merged, so load drift hits all alike; latency in µs (HdrHistogram), throughput in"
                + " samples/s. \"in-process\" calls the serving core (InferenceEngine) directly; \"gRPC\" goes"
                + " through the full server over loopback (Netty, protobuf, metrics interceptor). Dynamic batching"
                + " off. Measured ").append(LocalDate.now()).append(" on the shared ")
                .append(Runtime.getRuntime().availableProcessors())
                .append("-core development machine while other builds ran, so absolute numbers are pessimistic;"
                        + " the ratios are measured side by side in one run.\n\n");
        String arch = work.heading().contains("ResNet") ? " --arch " + RandomResNetCheckpoints.ARCHITECTURE : "";
        s.append("Command (from the repository root):\n\n```\n"
                + "mvn -B -q -pl inference-service -am test-compile dependency:build-classpath \\\n"
                + "  -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt\n"
                + "java -Dai.djl.offline=true -cp inference-service/target/test-classes:inference-service/target/classes:"
                + "$(cat inference-service/target/cp.txt) \\\n"
                + "  io.ensemblescope.inference.bench.InferenceBenchmark" + arch + " --out docs/BENCHMARKS.md\n```\n\n");
        s.append("| method | B | in-process p50 | in-process p99 | in-process samples/s | gRPC p50 | gRPC p99 |"
                + " gRPC samples/s | gRPC / in-process (p50) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (String[] row : work.rows()) {
            for (int b : work.batches()) {
                String key = row[0] + "@" + b;
                Cell i = in.get(key).cell();
                Cell g = grpc.get(key).cell();
                s.append(String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |%n", row[0],
                        b * Integer.parseInt(row[2]), i.p50Micros, i.p99Micros, i.samplesPerSecond, g.p50Micros,
                        g.p99Micros, g.samplesPerSecond, g.p50Micros / i.p50Micros));
            }
        }
        s.append("\nRatios of p50 latency (below 1 means the numerator is faster):\n\n"
                + "| B | BE(k=4, B) / single(4B), in-process | same, gRPC | BE / DE (k=4), in-process | same, gRPC |"
                + "\n|---|---|---|---|---|\n");
        for (int b : work.batches()) {
            s.append(String.format("| %d | %.2f | %.2f | %.2f | %.2f |%n", b,
                    ratio(in, "batch ensemble k=4", "single(4B)", b), ratio(grpc, "batch ensemble k=4",
                            "single(4B)", b), ratio(in, "batch ensemble k=4", "deep ensemble k=4", b),
                    ratio(grpc, "batch ensemble k=4", "deep ensemble k=4", b)));
        }
        return s.toString();
    }

    private static double ratio(Map<String, Meter> m, String a, String b, int batch) {
        return m.get(a + "@" + batch).cell().p50Micros / m.get(b + "@" + batch).cell().p50Micros;
    }

    /** Replaces the section under {@code heading} (up to the next "## " heading) or appends it. */
    static void replaceSection(Path file, String heading, String section) throws Exception {
        String doc = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
        int start = doc.indexOf("\n" + heading + "\n");
        String result;
        if (start < 0) {
            result = doc.stripTrailing() + "\n\n" + section;
        } else {
            int next = doc.indexOf("\n## ", start + 1);
            result = doc.substring(0, start + 1) + section + (next < 0 ? "" : "\n" + doc.substring(next + 1));
        }
        Files.writeString(file, result, StandardCharsets.UTF_8);
    }
}
