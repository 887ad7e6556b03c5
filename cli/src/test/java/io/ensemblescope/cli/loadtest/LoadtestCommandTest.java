package io.ensemblescope.cli.loadtest;

import static io.ensemblescope.cli.EscopeRun.escope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.Device;
import io.ensemblescope.cli.EscopeRun;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.testing.TestPki;
import io.ensemblescope.testing.TestTokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code escope loadtest --quick} as a user runs it after a study: on a store holding one checkpoint of each method
 * named as {@code escope reproduce} names them (trained here by {@code escope train}, one epoch on 1,000 images),
 * against the inference service it starts in-process.
 */
class LoadtestCommandTest {
    private static final String[][] STUDY = {
        {"mnist-single-k1-s1-0000000001", "single", "1"},
        {"mnist-mc-dropout-k1-s1-0000000002", "mc-dropout", "1"},
        {"mnist-deep-ensemble-k2-s1-0000000003", "deep-ensemble", "2"},
        {"mnist-batch-ensemble-k2-s1-0000000004", "batch-ensemble", "2"}};

    @TempDir
    static Path store;
    @TempDir
    static Path out;

    @BeforeAll
    static void trainOneCheckpointOfEachMethod() {
        for (String[] m : STUDY) {
            EscopeRun train = escope("train", "--name", m[0], "--method", m[1], "--members", m[2], "--mc-samples",
                    "4", "--limit", "1000", "--epochs", "1", "--store", store.toString(), "--device", "cpu");
            assertEquals(0, train.exit(), train.err());
        }
    }

    @Test
    void quickLoadTestComparesEveryMethodWithTheSingleModelAndWritesItsFiles() throws Exception {
        Path dir = out.resolve("quick");
        // --quick's matrix and pipeline; its windows (0.3 s warm-up, 2-3 windows of 0.5 s per point) shortened, as a
        // user may, so that the 16 points take seconds: what is asserted does not depend on the window length.
        EscopeRun run = escope("loadtest", "--quick", "--store", store.toString(), "--device", "cpu", "--out",
                dir.toString(), "--record-latencies", "--warmup", "0.1", "--window", "0.2", "--stable-windows", "2",
                "--max-windows", "2");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("## Compared with the single model"), run.out());
        for (String label : List.of("MC Dropout (T=4)", "Deep Ensemble (k=2)", "BatchEnsemble (k=2)")) {
            assertTrue(run.out().contains("| " + label + " |"), label + " in the comparison");
        }
        assertFalse(run.err().contains("\u001b") || run.err().contains("\r"), "plain progress lines in a pipe");
        assertTrue(run.err().contains("[16/16]") && run.err().contains("ETA"), run.err());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("loadtest.json").toFile());
        JsonNode results = json.get("results");
        // 4 methods × B ∈ {1, 32} × concurrency ∈ {1, 4}.
        assertEquals(16, results.size());
        Set<String> methods = new HashSet<>();
        for (JsonNode r : results) {
            methods.add(r.get("method").asText());
            JsonNode latency = r.get("latency");
            String what = r.get("model").asText() + " " + r.get("point");
            assertTrue(r.get("requests").asLong() > 0, what);
            assertEquals(0, r.get("errors").size(), what);
            assertTrue(latency.get("p50").asDouble() > 0 && latency.get("p50").asDouble() <= latency.get("p99")
                    .asDouble() && latency.get("p99").asDouble() <= latency.get("max").asDouble(), what);
            assertEquals(r.get("requests").asLong() * r.get("point").get("batch").asInt(), r.get("samples").asLong());
            assertTrue(r.get("rss_bytes").asDouble() > 0, "in-process server RSS");
            assertExactPercentiles(dir, r);
        }
        assertEquals(Set.of("SINGLE", "MC_DROPOUT", "DEEP_ENSEMBLE", "BATCH_ENSEMBLE"), methods);
        assertEquals(12, json.get("comparison").size(), "3 methods × 4 points against the single model");
        JsonNode memory = json.get("memory");
        assertEquals(4, memory.size());
        memory.forEach(m -> assertTrue(m.get("native_bytes").asDouble() > 0, m.toString()));

        List<String> csv = Files.readAllLines(dir.resolve("loadtest.csv"));
        assertEquals(17, csv.size(), "header and 16 rows");
        int columns = csv.get(0).split(",").length;
        csv.forEach(line -> assertEquals(columns, line.split(",", -1).length, line));

        List<Path> plots;
        try (Stream<Path> s = Files.list(dir.resolve("plots"))) {
            plots = s.toList();
        }
        // Latency vs throughput per B (closed loop only), p99 vs B per concurrency, a CDF per point.
        assertEquals(2 + 2 + 4, plots.size(), plots.toString());
        for (Path p : plots) {
            BufferedImage image = ImageIO.read(p.toFile());
            assertNotNull(image, p + " decodes");
            assertEquals(640, image.getWidth());
        }
    }

    /** The reported percentiles against an exact nearest-rank computation over the run's recorded latencies. */
    private static void assertExactPercentiles(Path dir, JsonNode r) throws Exception {
        String id = r.get("model").asText().split("/")[0] + "-" + pointId(r.get("point"));
        List<String> lines = Files.readAllLines(dir.resolve("raw").resolve(id + ".csv"));
        long[] ns = lines.stream().skip(1).mapToLong(Long::parseLong).sorted().toArray();
        // The latencies also hold the requests still in flight when the last window closed (answered in the drain).
        assertTrue(ns.length >= r.get("requests").asLong(), id + ": " + ns.length + " recorded");
        for (String[] p : new String[][] {{"p50", "50"}, {"p99", "99"}}) {
            double exact = ns[Math.max(0, (int) Math.ceil(Double.parseDouble(p[1]) / 100 * ns.length) - 1)];
            double reported = r.get("latency").get(p[0]).asDouble() * 1e3;
            assertTrue(reported >= exact && reported <= exact * 1.001 + 1, id + " " + p[0] + ": reported "
                    + reported + " ns, exact " + exact + " ns");
        }
    }

    private static String pointId(JsonNode point) {
        return "closed-c" + point.get("concurrency").asInt() + "-B" + point.get("batch").asInt();
    }

    @Test
    void aRunningServiceTakesOpenLoopStreamsAndHealthChecks() throws Exception {
        InferenceServer.Running server = InferenceServer.start(0, -1, 64 << 20, new CheckpointStore(store),
                ServingOptions.defaults(Device.cpu()));
        try {
            String target = "127.0.0.1:" + server.server().port();
            Path dir = out.resolve("remote");
            EscopeRun run = escope("loadtest", "--target", target, "--rpc", "stream", "--streams", "2", "--rate", "40",
                    "--arrivals", "constant", "--batch", "4", "--warmup", "0.2", "--window", "0.5",
                    "--stable-windows", "1", "--max-windows", "1", "--out", dir.toString());
            assertEquals(0, run.exit(), run.err());
            JsonNode json = new ObjectMapper().readTree(dir.resolve("loadtest.json").toFile());
            // Models listed by the server (no creation times): one of each method, ensembles of one k.
            assertEquals(4, json.get("results").size());
            for (JsonNode r : json.get("results")) {
                assertEquals("open", r.get("point").get("mode").asText());
                assertEquals("stream", r.get("point").get("rpc").asText());
                assertEquals(0, r.get("errors").size(), r.toString());
                assertTrue(r.get("requests").asLong() > 0, r.toString());
                // Sent at the target rate, not at the server's pace (a generator late in the warm-up catches up
                // on its schedule, so a short window can run somewhat above 40/s).
                assertEquals(40, r.get("achieved_rate").asDouble(), 25, r.toString());
                assertTrue(r.get("rss_bytes").isNull(), "a remote server's memory is not probed");
            }
            json.get("memory").forEach(m -> assertTrue(m.get("native_bytes").isNull()));

            EscopeRun health = escope("loadtest", "--target", target, "--rpc", "health", "--concurrency", "8",
                    "--warmup", "0.2", "--window", "0.5", "--stable-windows", "1", "--max-windows", "1", "--out",
                    out.resolve("health").toString());
            assertEquals(0, health.exit(), health.err());
            JsonNode checks = new ObjectMapper().readTree(out.resolve("health").resolve("loadtest.json").toFile())
                    .get("results");
            assertEquals(1, checks.size());
            assertEquals("HEALTH", checks.get(0).get("method").asText());
            assertTrue(checks.get(0).get("requests").asLong() > 8, checks.toString());
        } finally {
            server.stop();
        }
    }

    @Test
    void aServiceWithTlsAndTokensIsLoadTestedThroughTheClientOptions() throws Exception {
        Path pki = Files.createDirectories(out.resolve("pki"));
        TestPki ca = TestPki.create(pki, "loadtest-test");
        TestPki.Issued cert = ca.server("inference", "localhost", "127.0.0.1");
        TestTokens tokens = TestTokens.write(pki);
        ServerOptions listen = new ServerOptions(0, -1);
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ServerOptions options = listen;
        }).parseArgs("--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString(), "--auth-tokens",
                tokens.file().toString());
        InferenceServer.Running server = startServer(listen, Meters.newRegistry("inference"));
        try {
            String[] run = {"loadtest", "--target", "127.0.0.1:" + server.server().port(), "--models", STUDY[0][0],
                "--batch", "2", "--concurrency", "2", "--warmup", "0.2", "--window", "0.5", "--stable-windows", "1",
                "--max-windows", "1", "--tls-ca", ca.caPem().toString()};
            Path dir = out.resolve("tls");
            EscopeRun admin = escope(concat(run, "--token-file", tokens.admin().toString(), "--out",
                    dir.toString()));
            assertEquals(0, admin.exit(), admin.err());
            JsonNode results = new ObjectMapper().readTree(dir.resolve("loadtest.json").toFile()).get("results");
            assertEquals(1, results.size());
            assertEquals(0, results.get(0).get("errors").size(), results.toString());
            assertTrue(results.get(0).get("requests").asLong() > 0, results.toString());

            // Loading and describing models is admin's; health checks are the data plane's.
            escope(run).assertOneLineError("UNAUTHENTICATED");
            escope(concat(run, "--token-file", tokens.predict().toString())).assertOneLineError("PERMISSION_DENIED");
            escope(Arrays.copyOf(run, run.length - 2)).assertOneLineError("unreachable");
            Path health = out.resolve("tls-health");
            EscopeRun checks = escope(concat(run, "--rpc", "health", "--token-file", tokens.predict().toString(),
                    "--out", health.toString()));
            assertEquals(0, checks.exit(), checks.err());
            JsonNode h = new ObjectMapper().readTree(health.resolve("loadtest.json").toFile()).get("results");
            assertEquals(0, h.get(0).get("errors").size(), h.toString());
            assertTrue(h.get(0).get("requests").asLong() > 0, h.toString());
        } finally {
            server.stop();
            server.server().security().close();
        }
    }

    /**
     * A JIT warm-up sends unrecorded traffic to every model before the first recorded run: the server counts more
     * requests per model beyond what the results hold than the same load test without it.
     */
    @Test
    void theJitWarmUpDrivesEveryModelBeforeTheFirstRecordedRun() throws Exception {
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        InferenceServer.Running server = startServer(new ServerOptions(0, -1), registry);
        try (InferenceTarget target = InferenceTarget.running("127.0.0.1:" + server.server().port(), 1, null,
                ClientSecurity.PLAINTEXT)) {
            List<TargetModel> models = List.of(STUDY[0], STUDY[3]).stream().map(m -> target.model(
                    ModelRef.newBuilder().setName(m[0]).build(), 0)).toList();
            ImageDataset images = DatasetCatalog.shared()
                    .load(new DatasetRequest("mnist", Subset.TEST,
                            0, 64, "", null, 0));
            Measurement m = new Measurement(0, TimeUnit.MILLISECONDS.toNanos(100), 1, 1, 0.1,
                    TimeUnit.SECONDS.toNanos(5));
            LoadTest.Settings settings = new LoadTest.Settings(List.of(1), List.of(LoadLevel.closed(1)),
                    LoadTest.Rpc.UNARY, m, TimeUnit.SECONDS.toNanos(10), 1, 1, 1, 0, false);
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            double[][] unrecorded = new double[2][];
            long[] warmUps = {0, TimeUnit.MILLISECONDS.toNanos(400)};
            for (int w = 0; w < warmUps.length; w++) {
                double[] before = models.stream().mapToDouble(t -> served(registry, t)).toArray();
                LoadTest.Outcome o = new LoadTest(target, settings, new LoadProgress(quiet, false, 2, 1), warmUps[w])
                        .run(models, t -> images);
                unrecorded[w] = new double[models.size()];
                for (int i = 0; i < models.size(); i++) {
                    String id = models.get(i).id();
                    long recorded = o.results().stream().filter(r -> r.model().equals(id))
                            .mapToLong(r -> r.requests()).sum();
                    unrecorded[w][i] = served(registry, models.get(i)) - before[i] - recorded;
                }
            }
            for (int i = 0; i < models.size(); i++) {
                assertTrue(unrecorded[1][i] >= unrecorded[0][i] + 10, models.get(i).id() + ": unrecorded requests "
                        + unrecorded[0][i] + " without the warm-up, " + unrecorded[1][i] + " with it");
            }
        } finally {
            server.stop();
        }
    }

    /** An inference service on the study's store, listening as {@code listen} says. */
    private static InferenceServer.Running startServer(ServerOptions listen, PrometheusMeterRegistry registry)
            throws IOException {
        return InferenceServer.start(listen, -1, 64 << 20, new InferenceEngine(new CheckpointStore(store),
                ServingOptions.defaults(Device.cpu()), registry), registry, MonitoringOptions.DEFAULT);
    }

    private static double served(PrometheusMeterRegistry registry, TargetModel model) {
        var counter = registry.find("inference.requests").tag("model", model.ref().getName()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badFlagsAndAnUnreachableTargetGiveOneLineErrors() {
        escope("loadtest", "--concurrency", "0").assertOneLineError("--concurrency");
        escope("loadtest", "--rate", "-5").assertOneLineError("--rate");
        escope("loadtest", "--rpc", "carrier-pigeon").assertOneLineError("--rpc");
        escope("loadtest", "--window", "0").assertOneLineError("--window");
        escope("loadtest", "--models", "../../etc/passwd").assertOneLineError("--models");
        escope("loadtest", "--target", "x".repeat(500)).assertOneLineError("--target");
        escope("loadtest", "--target", "127.0.0.1:1", "--models", "m", "--timeout", "2")
                .assertOneLineError("unreachable");
        String longName = "a".repeat(300);
        EscopeRun quoted = escope("loadtest", "--models", longName);
        assertTrue(quoted.err().length() < 300, "a long value is quoted by a short prefix: " + quoted.err());
        assertTrue(Arrays.stream(quoted.err().split("\n")).count() == 1);
    }
}
