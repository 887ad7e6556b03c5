package io.ensemblescope.inference.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency of one request through each protocol the inference service speaks, side by side in one run: the native
 * Predict, the Open Inference Protocol's ModelInfer over gRPC, and its REST binding with JSON tensors and with the
 * binary tensor data extension — all on the same server and engine, same pixels, same outputs (member
 * probabilities and their mean), B = 1 and 32, for a single model and a BatchEnsemble (k = 4). Given
 * {@code --out FILE}, replaces the section "## Inference: Open Inference Protocol" of that file.
 */
public final class OipBenchmark {
    private static final String HEADING = "## Inference: Open Inference Protocol";
    private static final int ROUNDS = 5;
    private static final long CELL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
    private static final int[] BATCHES = {1, 32};
    private static final String[] MODELS = {"single", "be"};
    private static final List<String> PROTOCOLS = List.of("native gRPC", "OIP gRPC", "OIP REST binary",
            "OIP REST JSON");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OipBenchmark() {}

    public static void main(String[] args) throws Exception {
        Engines.offline();
        Path out = args.length == 2 && args[0].equals("--out") ? Path.of(args[1]) : null;
        CheckpointStore store = new CheckpointStore(Files.createTempDirectory("escope-oip-bench"));
        TrainingData data = TinyCheckpoints.trainingSlice();
        TinyCheckpoints.train(store, data, "single", Method.SINGLE, 1, 1);
        TinyCheckpoints.train(store, data, "be", Method.BATCH_ENSEMBLE, 4, 1);

        PrometheusMeterRegistry registry = Meters.newRegistry("inference-bench");
        InferenceEngine engine = new InferenceEngine(store, ServingOptions.defaults(Device.cpu()), registry);
        InferenceServer.Running running = InferenceServer.start(0, -1, 0, 64 << 20, engine, registry);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", running.server().port())
                .usePlaintext().maxInboundMessageSize(64 << 20).build();
        var nativeStub = InferenceServiceGrpc.newBlockingStub(channel);
        var oipStub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + running.httpPort());

        Map<String, InferenceBenchmark.Meter> meters = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        for (int round = 0; round < ROUNDS; round++) {
            for (int b : BATCHES) {
                for (String model : MODELS) {
                    PredictRequest p = ServerHarness.pixels(model, 0, b);
                    ModelInferRequest m = oip(p);
                    HttpRequest json = rest(base, model, jsonBody(p), null);
                    byte[][] binary = binaryBody(p);
                    HttpRequest bin = rest(base, model, binary[0], Integer.toString(binary[1].length));
                    List<InferenceBenchmark.Call> calls = List.of(() -> nativeStub.predict(p),
                            () -> oipStub.modelInfer(m),
                            () -> ok(http.send(bin, HttpResponse.BodyHandlers.ofByteArray())),
                            () -> ok(http.send(json, HttpResponse.BodyHandlers.ofByteArray())));
                    List<InferenceBenchmark.Meter> cell = new ArrayList<>();
                    for (int i = 0; i < calls.size(); i++) {
                        cell.add(meter(meters, model, b, i));
                    }
                    measureInterleaved(cell, calls);
                }
            }
            System.err.printf("round %d of %d done%n", round + 1, ROUNDS);
        }
        channel.shutdownNow();
        running.stop();
        String section = render(meters, loadBefore);
        System.out.println(section);
        if (out != null) {
            InferenceBenchmark.replaceSection(out, HEADING, section);
        }
    }

    /**
     * One call of each protocol in turn (the first one rotating), for 0.5 s per protocol after 10 warm-up rounds:
     * load from other processes then hits every protocol alike, call by call.
     */
    private static void measureInterleaved(List<InferenceBenchmark.Meter> meters,
                                           List<InferenceBenchmark.Call> calls) throws Exception {
        for (int i = 0; i < 10; i++) {
            for (InferenceBenchmark.Call c : calls) {
                c.run();
            }
        }
        long start = System.nanoTime();
        for (int n = 0; n < 10 || System.nanoTime() - start < CELL_NANOS * calls.size(); n++) {
            for (int i = 0; i < calls.size(); i++) {
                int j = (i + n) % calls.size();
                long t0 = System.nanoTime();
                calls.get(j).run();
                meters.get(j).latency.recordValue(System.nanoTime() - t0);
                meters.get(j).calls++;
            }
        }
    }

    private static InferenceBenchmark.Meter meter(Map<String, InferenceBenchmark.Meter> meters, String model,
                                                  int batch, int protocol) {
        return meters.computeIfAbsent(model + "@" + batch + "@" + protocol, k -> new InferenceBenchmark.Meter(batch));
    }

    private static void ok(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
        }
    }

    /** The native request's pixels as a ModelInferRequest asking for the same two outputs. */
    private static ModelInferRequest oip(PredictRequest p) {
        return ModelInferRequest.newBuilder().setModelName(p.getModel().getName())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("UINT8")
                        .addAllShape(p.getInput().getShapeList()))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("member_probabilities"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probabilities"))
                .addRawInputContents(p.getInput().getRawData()).build();
    }

    private static ObjectNode header(PredictRequest p) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode input = root.putArray("inputs").addObject().put("name", "input").put("datatype", "UINT8");
        ArrayNode shape = input.putArray("shape");
        p.getInput().getShapeList().forEach(shape::add);
        root.putArray("outputs").addObject().put("name", "member_probabilities");
        root.withArray("outputs").addObject().put("name", "probabilities");
        return root;
    }

    private static byte[] jsonBody(PredictRequest p) throws Exception {
        ObjectNode root = header(p);
        ArrayNode data = ((ObjectNode) root.get("inputs").get(0)).putArray("data");
        for (byte b : p.getInput().getRawData().toByteArray()) {
            data.add(b & 0xFF);
        }
        return JSON.writeValueAsBytes(root);
    }

    /** {body, json header}: binary input and binary outputs. */
    private static byte[][] binaryBody(PredictRequest p) throws Exception {
        ObjectNode root = header(p);
        root.putObject("parameters").put("binary_data_output", true);
        ((ObjectNode) root.get("inputs").get(0)).putObject("parameters").put("binary_data_size",
                p.getInput().getRawData().size());
        byte[] json = JSON.writeValueAsBytes(root);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(p.getInput().getRawData().toByteArray());
        return new byte[][] {body.toByteArray(), json};
    }

    private static HttpRequest rest(URI base, String model, byte[] body, String headerLength) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v2/models/" + model + "/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) {
            b.header("Inference-Header-Content-Length", headerLength);
        }
        return b.build();
    }

    /** The 1-minute load average, or "?" where /proc is absent. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String render(Map<String, InferenceBenchmark.Meter> meters, String loadBefore) {
        StringBuilder s = new StringBuilder(HEADING).append("\n\n");
        s.append("One request through each protocol of the same inference server (same engine, same MNIST pixels as"
                + " UINT8, same outputs: member probabilities and their mean; MNIST-MLP checkpoints trained for one"
                + " epoch on 2,000 images, BatchEnsemble k = 4), one closed-loop client on loopback: the native"
                + " Predict, the Open Inference Protocol's ModelInfer over gRPC (raw contents), and its REST binding"
                + " with the binary tensor data extension (binary input and outputs) and with JSON tensors (pixels"
                + " and outputs as JSON numbers). JDK HttpClient over HTTP/1.1 keep-alive for REST. The four"
                + " protocols take turns call by call (so load from other processes hits them alike), 0.5 s each after 10 warm-up"
                + " rounds, in each of " + ROUNDS + " rounds, merged; latency in µs (HdrHistogram), p50 (p99)."
                + " Dynamic batching off."
                + " Measured ").append(LocalDate.now()).append(" on the shared ")
                .append(Runtime.getRuntime().availableProcessors()).append("-core development machine at load"
                        + " average ").append(loadBefore).append(" (start) and ").append(loadAverage())
                .append(" (end), so absolute numbers are pessimistic; the ratios are measured side by side in one"
                        + " run.\n\n");
        s.append("Command (from the repository root):\n\n```\n"
                + "mvn -B -q -pl inference-service -am test-compile dependency:build-classpath \\\n"
                + "  -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt\n"
                + "OMP_WAIT_POLICY=PASSIVE java -Dai.djl.offline=true -cp inference-service/target/test-classes:"
                + "inference-service/target/classes:$(cat inference-service/target/cp.txt) \\\n"
                + "  io.ensemblescope.inference.bench.OipBenchmark --out docs/BENCHMARKS.md\n```\n\n");
        s.append("| model | B |");
        PROTOCOLS.forEach(p -> s.append(' ').append(p).append(" |"));
        s.append(" OIP gRPC / native | REST binary / native | REST JSON / native |\n|---|---|");
        s.append("---|".repeat(PROTOCOLS.size() + 3)).append('\n');
        for (String model : MODELS) {
            for (int b : BATCHES) {
                s.append("| ").append(model.equals("be") ? "batch ensemble k=4" : model).append(" | ").append(b)
                        .append(" |");
                double[] p50 = new double[PROTOCOLS.size()];
                for (int i = 0; i < PROTOCOLS.size(); i++) {
                    InferenceBenchmark.Cell c = meters.get(model + "@" + b + "@" + i).cell();
                    p50[i] = c.p50Micros();
                    s.append(String.format(" %.0f (%.0f) |", c.p50Micros(), c.p99Micros()));
                }
                s.append(String.format(" %.2f | %.2f | %.2f |%n", p50[1] / p50[0], p50[2] / p50[0],
                        p50[3] / p50[0]));
            }
        }
        return s.toString();
    }
}
