package io.ensemblescope.inference.bench;

import ai.djl.Device;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.monitoring.ImageTraffic;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.monitoring.ReferenceProfiler;
import io.ensemblescope.inference.monitoring.ReferenceProfiles;
import io.ensemblescope.inference.monitoring.UncertaintyMonitor;
import io.ensemblescope.inference.serving.PredictCall;
import io.ensemblescope.inference.serving.Prediction;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of live uncertainty monitoring on the serving path: two inference servers in one process on the same
 * checkpoints, one with monitoring off and one with it on (reference profiles loaded, every request carrying a fresh
 * id so predictions are held for outcomes and the oldest evicted), measured side by side over loopback gRPC by one
 * closed-loop client in interleaved rounds, at B = 1 and 32 for every method. Prints a markdown section and, given
 * {@code --out FILE}, replaces "## Inference: uncertainty monitoring overhead" in it.
 */
public final class MonitoringOverheadBenchmark {
    static final String HEADING = "## Inference: uncertainty monitoring overhead";
    private static final int ROUNDS = 9;
    private static final int[] BATCHES = {1, 32};
    private static final String[][] MODELS = {{"single", "single"}, {"mc T=4", "mc"}, {"deep ensemble k=4", "de"},
        {"batch ensemble k=4", "be"}};

    private MonitoringOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Engines.offline();
        Path out = args.length == 2 && args[0].equals("--out") ? Path.of(args[1]) : null;
        CheckpointStore store = new CheckpointStore(Files.createTempDirectory("escope-monitoring-bench"));
        TrainingData data = TinyCheckpoints.trainingSlice();
        TinyCheckpoints.train(store, data, "single", Method.SINGLE, 1, 1);
        TinyCheckpoints.train(store, data, "mc", Method.MC_DROPOUT, 1, 1);
        TinyCheckpoints.train(store, data, "de", Method.DEEP_ENSEMBLE, 4, 1);
        TinyCheckpoints.train(store, data, "be", Method.BATCH_ENSEMBLE, 4, 1);

        Server off = Server.start(store, null);
        Server on = Server.start(store, MonitoringOptions.DEFAULT);
        for (String[] m : MODELS) {
            on.profile(store, m[1]);
        }
        AtomicLong ids = new AtomicLong();
        Map<String, InferenceBenchmark.Meter> offMeters = new LinkedHashMap<>();
        Map<String, InferenceBenchmark.Meter> onMeters = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int b : BATCHES) {
                for (String[] m : MODELS) {
                    PredictRequest r = ServerHarness.pixels(m[1], 0, b);
                    String key = m[0] + "@" + b;
                    // Alternate which server goes first, so neither always runs on a warmer machine.
                    Server[] order = round % 2 == 0 ? new Server[] {off, on} : new Server[] {on, off};
                    for (Server s : order) {
                        Map<String, InferenceBenchmark.Meter> meters = s == on ? onMeters : offMeters;
                        meters.computeIfAbsent(key, k -> new InferenceBenchmark.Meter(b)).measure(() -> s.stub
                                .predict(r.toBuilder().setRequestId("bench-" + ids.incrementAndGet()).build()));
                    }
                }
            }
            System.err.printf("round %d of %d done%n", round + 1, ROUNDS);
        }
        Map<String, Double> hookMicros = new LinkedHashMap<>();
        for (int b : BATCHES) {
            for (String[] m : MODELS) {
                hookMicros.put(m[0] + "@" + b, hookMicros(store, on, m[1], b));
            }
        }
        off.stop();
        on.stop();
        String section = render(offMeters, onMeters, hookMicros);
        System.out.println(section);
        if (out != null) {
            InferenceBenchmark.replaceSection(out, HEADING, section);
        }
    }

    /**
     * The monitoring work of one answered call alone — what the serving path runs in {@code served}: per-sample
     * statistics, four histograms, the drift window, holding the prediction — timed over many calls on a monitor of
     * its own, fed a real answer of the model.
     */
    private static double hookMicros(CheckpointStore store, Server on, String model, int b) throws Exception {
        var manifest = store.manifest(model, "");
        UncertaintyMonitor monitor = new UncertaintyMonitor(MonitoringOptions.DEFAULT,
                Meters.newRegistry("inference-bench"));
        monitor.loaded(manifest, store.versionDir(manifest));
        var r = on.stub.predict(ServerHarness.pixels(model, 0, b));
        var p = r.getMemberProbabilities();
        float[] probs = ImageTraffic.memberProbabilities(r);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            int calls = 20_000 / b + 100;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                String id = "hook-" + i;
                monitor.served(PredictCall.of(model, "", null, 0, false, id), new Prediction(id, model,
                        manifest.version(), manifest.network().method(), p.getMembers(), b, p.getClasses(), probs,
                        null, null, 0, 0, 0, b));
            }
            best = Math.min(best, (System.nanoTime() - t0) / calls);
        }
        return best / 1e3;
    }

    /** One server with its channel. */
    private record Server(InferenceServer.Running running, ManagedChannel channel,
                          InferenceServiceGrpc.InferenceServiceBlockingStub stub) {
        static Server start(CheckpointStore store, MonitoringOptions monitoring) throws Exception {
            PrometheusMeterRegistry registry = Meters.newRegistry("inference-bench");
            InferenceEngine engine = new InferenceEngine(store, ServingOptions.defaults(Device.cpu()), registry);
            InferenceServer.Running running = InferenceServer.start(0, -1, 256 << 20, engine, registry, monitoring);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", running.server().port())
                    .usePlaintext().maxInboundMessageSize(256 << 20).build();
            return new Server(running, channel, InferenceServiceGrpc.newBlockingStub(channel));
        }

        /** Profiles the model on 512 test digits, then (re)loads it with the profile. */
        void profile(CheckpointStore store, String model) throws Exception {
            var manifest = store.manifest(model, "");
            ModelRef ref = ModelRef.newBuilder().setName(model).setVersion(manifest.version()).build();
            stub.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            ReferenceProfiles.write(store, manifest, ReferenceProfiler.profile(stub, ref,
                    TinyCheckpoints.testImages(), "mnist test [0, 512)", 128,
                    ReferenceProfiles.manifestSha256(store.versionDir(manifest))));
            stub.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            stub.predict(ImageTraffic.request(ref, TinyCheckpoints.testImages(), 0, 1, ""));
        }

        void stop() throws InterruptedException {
            channel.shutdownNow();
            running.stop();
        }
    }

    private static String render(Map<String, InferenceBenchmark.Meter> off, Map<String, InferenceBenchmark.Meter> on,
                                 Map<String, Double> hook) {
        StringBuilder s = new StringBuilder(HEADING).append("\n\n");
        s.append("Live uncertainty monitoring (histograms of four per-sample statistics, the drift window, predictions"
                + " held for ReportOutcomes) costs the serving path this much: two inference servers in one JVM on the"
                + " same MNIST-MLP checkpoints (trained for one epoch on 2,000 images; k = 4 for the ensembles, T = 4"
                + " for MC Dropout), one started with --no-monitoring, one with monitoring on, reference profiles"
                + " loaded and a fresh request id on every call (so each prediction is held, and the oldest evicted,"
                + " as under real outcome feedback). One closed-loop gRPC client over loopback; every configuration"
                + " runs 0.5 s (at least 10 calls, after 10 warm-up calls) in each of ").append(ROUNDS)
                .append(" interleaved rounds, the order of the two servers alternating by round; latency in µs"
                        + " (HdrHistogram). Measured ").append(LocalDate.now()).append(" on the shared ")
                .append(Runtime.getRuntime().availableProcessors())
                .append("-core development machine while other builds ran.\n\n");
        s.append("Command (from the repository root):\n\n```\n"
                + "mvn -B -q -pl inference-service -am test-compile dependency:build-classpath \\\n"
                + "  -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt\n"
                + "java -Dai.djl.offline=true -cp inference-service/target/test-classes:inference-service/target/classes:"
                + "$(cat inference-service/target/cp.txt) \\\n"
                + "  io.ensemblescope.inference.bench.MonitoringOverheadBenchmark --out docs/BENCHMARKS.md\n```\n\n");
        s.append("The last two columns time the monitoring work of one call alone (the observer the serving path calls"
                + " after answering), best of 5 runs of 20,000 / B + 100 calls fed a real answer, and relate it to the"
                + " p50 without monitoring: the share of latency monitoring can cost, free of the run-to-run noise of"
                + " the side-by-side columns.\n\n");
        s.append("| method | B | p50 off | p50 on | on / off (p50) | p99 off | p99 on | monitoring work per call |"
                + " work / p50 off |\n|---|---|---|---|---|---|---|---|---|\n");
        for (String[] m : MODELS) {
            for (int b : BATCHES) {
                InferenceBenchmark.Cell a = off.get(m[0] + "@" + b).cell();
                InferenceBenchmark.Cell c = on.get(m[0] + "@" + b).cell();
                double work = hook.get(m[0] + "@" + b);
                s.append(String.format("| %s | %d | %.0f | %.0f | %.3f | %.0f | %.0f | %.1f µs | %.1f %% |%n", m[0],
                        b, a.p50Micros(), c.p50Micros(), c.p50Micros() / a.p50Micros(), a.p99Micros(), c.p99Micros(),
                        work, 100 * work / a.p50Micros()));
            }
        }
        return s.toString();
    }
}
