package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.cli.config.Defaults;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.reports.load.LoadMarkdown;
import io.ensemblescope.reports.load.LoadReport;
import io.ensemblescope.reports.load.LoadReportWriter;
import io.ensemblescope.rpc.security.ClientOptions;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code escope loadtest}: drives an inference service (a running one, or one started here on the checkpoint store)
 * with closed- and open-loop load over a grid of batch sizes, and writes latency percentiles, throughput, errors, the
 * server's time split and the generator's own CPU per method, side by side with the single model.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test served models: latency percentiles, throughput and errors per method, batch size"
                + " and load, each method side by side with the single model.",
            "Writes loadtest.md, loadtest.json, loadtest.csv and plots/ under --out; docs/LOADTEST.md explains them."})
public final class LoadtestCommand implements Callable<Integer> {
    static final int MAX_CONCURRENCY = 4096;
    static final double MAX_RATE = 1e6;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "A running inference service (default: start one in this process on --store).")
    String target;

    /** TLS, client certificate and token for {@code --target} (an in-process service is plaintext on loopback). */
    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--store", paramLabel = "DIR",
            description = "Checkpoint store of the in-process service (default: $ESCOPE_STORE, else"
                    + " ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N for the in-process service"
            + " (default: ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--models", split = ",", paramLabel = "NAME[:vN]", description = "Models to test (default: one"
            + " of each method from the latest study in the store or on the target, ensembles with the same k).")
    List<String> models = new ArrayList<>();

    @Option(names = "--concurrency", split = ",", paramLabel = "N",
            description = "Closed loop: requests kept in flight, one run per value (default: ${DEFAULT-VALUE};"
                    + " none when only --rate is given).")
    List<Integer> concurrency = new ArrayList<>(List.of(1, 4, 16));

    @Option(names = "--rate", split = ",", paramLabel = "REQ/S",
            description = "Open loop: requests sent per second whatever the answers do, one run per value;"
                    + " latency counts from each request's intended send time.")
    List<Double> rate = new ArrayList<>();

    @Option(names = "--arrivals", paramLabel = "poisson|constant",
            description = "Open-loop send times: poisson or constant gaps (default: ${DEFAULT-VALUE}).")
    String arrivals = "poisson";

    @Option(names = "--batch", split = ",", paramLabel = "B",
            description = "Samples per request, one run per value (default: ${DEFAULT-VALUE}).")
    List<Integer> batch = new ArrayList<>(List.of(1, 8, 32));

    @Option(names = "--rpc", paramLabel = "unary|stream|health", description = "unary Predict, PredictStream, or"
            + " the gRPC health check to measure the generator itself (default: ${DEFAULT-VALUE}).")
    String rpc = "unary";

    @Option(names = "--streams", description = "PredictStream calls the requests are spread over"
            + " (default: ${DEFAULT-VALUE}).")
    int streams = 1;

    @Option(names = "--connections", description = "HTTP/2 connections to the target (default: ${DEFAULT-VALUE}).")
    int connections = 1;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Load before measuring, not recorded"
            + " (default: ${DEFAULT-VALUE}).")
    double warmup = 2;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Length of one measurement window"
            + " (default: ${DEFAULT-VALUE}).")
    double window = 2;

    @Option(names = "--stable-windows", paramLabel = "N", description = "Windows that must agree, and that the"
            + " result merges (default: ${DEFAULT-VALUE}).")
    int stableWindows = 3;

    @Option(names = "--max-windows", paramLabel = "N", description = "Most windows per run when they do not agree"
            + " (default: ${DEFAULT-VALUE}).")
    int maxWindows = 6;

    @Option(names = "--stability", paramLabel = "PERCENT", description = "Agreement needed: each window's p50 and"
            + " throughput within this of their mean (default: ${DEFAULT-VALUE}).")
    double stability = 10;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Deadline of each request"
            + " (default: ${DEFAULT-VALUE}).")
    double timeout = 10;

    @Option(names = "--max-outstanding", paramLabel = "N", description = "Open loop: most requests in flight; the"
            + " wait beyond it counts as latency (default: ${DEFAULT-VALUE}).")
    int maxOutstanding = 10_000;

    @Option(names = "--mc-samples", paramLabel = "T", description = "MC Dropout passes per request (default:"
            + " ${DEFAULT-VALUE}, the model's own T).")
    int mcSamples;

    @Option(names = "--dataset", description = "Test images sent (default: mnist for 1×28×28 inputs, cifar10 for"
            + " 3×32×32).")
    String dataset;

    @Option(names = "--seed", description = "Seed of the Poisson arrivals (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--record-latencies", description = "Also write every measured latency, one CSV per run, to"
            + " raw/ under --out.")
    boolean recordLatencies;

    @Option(names = "--quick", description = "A run of about a minute: B 1,32, concurrency 1,4, short windows"
            + " (flags given explicitly still win).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: reports/loadtest-<time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        applyQuick();
        LoadTest.Settings settings = settings();
        List<ModelRef> named = new ArrayList<>();
        for (String m : models) {
            named.add(Flags.model("--models", m));
        }
        Path dir = out != null ? out : Path.of("reports", "loadtest-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (InferenceTarget t = target != null
                ? InferenceTarget.running(Flags.target("--target", target), connections, null, client.resolve())
                : InferenceTarget.inProcess(Defaults.store(store), device, connections)) {
            List<TargetModel> chosen = settings.rpc() == LoadTest.Rpc.HEALTH ? List.of(TargetModel.HEALTH)
                    : models(t, named);
            Map<String, ImageDataset> images = new HashMap<>();
            LoadProgress progress = new LoadProgress(System.err, LoadProgress.terminal(),
                    settings.runs(chosen.size()), settings.measurement().minNanos());
            LoadTest.Outcome outcome = new LoadTest(t, settings, progress).run(chosen,
                    m -> images.computeIfAbsent(datasetFor(m), this::load));
            LoadReport report = new LoadReport("Load test: " + t.describe(), setup(t, settings, chosen, loadBefore),
                    outcome.memory(), outcome.results());
            LoadReportWriter.Written written = new LoadReportWriter().write(report, dir);
            if (recordLatencies) {
                writeRaw(dir.resolve("raw"), outcome.raw());
            }
            System.out.println(LoadMarkdown.render(report));
            System.err.printf(Locale.ROOT, "loadtest: wrote %s, %s, %s and %d plots%n", written.markdown(),
                    written.json().getFileName(), written.csv().getFileName(), written.plots().size());
            return 0;
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(switch (e.getStatus().getCode()) {
                case UNAVAILABLE -> "the inference service is unreachable: " + e.getStatus().getDescription();
                default -> e.getStatus().getCode() + ": " + e.getStatus().getDescription();
            }, e);
        }
    }

    /** --quick shortens what the user did not set. */
    private void applyQuick() {
        if (!quick) {
            return;
        }
        unlessGiven("--batch", () -> batch = new ArrayList<>(List.of(1, 32)));
        unlessGiven("--concurrency", () -> concurrency = new ArrayList<>(List.of(1, 4)));
        unlessGiven("--warmup", () -> warmup = 0.3);
        unlessGiven("--window", () -> window = 0.5);
        unlessGiven("--stable-windows", () -> stableWindows = 2);
        unlessGiven("--max-windows", () -> maxWindows = 3);
    }

    private void unlessGiven(String flag, Runnable set) {
        if (!spec.commandLine().getParseResult().hasMatchedOption(flag)) {
            set.run();
        }
    }

    LoadTest.Settings settings() {
        boolean closed = rate.isEmpty() || spec.commandLine().getParseResult().hasMatchedOption("--concurrency");
        Arrivals gaps = Flags.choice("--arrivals", arrivals, Arrivals.class);
        List<LoadLevel> levels = new ArrayList<>();
        if (closed) {
            Flags.ints("--concurrency", concurrency, 1, MAX_CONCURRENCY).forEach(c -> levels.add(LoadLevel.closed(c)));
        }
        Flags.rates("--rate", rate, MAX_RATE).forEach(r -> levels.add(LoadLevel.open(r, gaps)));
        long timeoutNanos = Flags.seconds("--timeout", timeout, 0.001, 600);
        Flags.inRange("--connections", connections, 1, 64);
        Flags.inRange("--stable-windows", stableWindows, 1, 100);
        Flags.inRange("--max-windows", maxWindows, stableWindows, 1000);
        if (!(stability > 0 && stability <= 100)) {
            throw new IllegalArgumentException("--stability: must be in (0, 100] percent, got " + stability);
        }
        Measurement m = new Measurement(Flags.seconds("--warmup", warmup, 0, 3600),
                Flags.seconds("--window", window, 0.05, 3600), maxWindows, stableWindows, stability / 100,
                timeoutNanos + 1_000_000_000L);
        return new LoadTest.Settings(Flags.ints("--batch", batch, 1, 4096), levels,
                Flags.choice("--rpc", rpc, LoadTest.Rpc.class), m, timeoutNanos,
                Flags.inRange("--streams", streams, 1, 1024), Flags.inRange("--max-outstanding", maxOutstanding, 1,
                1_000_000), seed, Flags.inRange("--mc-samples", mcSamples, 0, 256), recordLatencies);
    }

    /** The named models, or one of each method from the latest study; each described by the server. */
    private List<TargetModel> models(InferenceTarget t, List<ModelRef> named) throws IOException {
        List<ModelRef> refs = named;
        if (refs.isEmpty()) {
            refs = ModelChoice.latestStudy(t.candidates());
            if (refs.isEmpty()) {
                throw new IllegalStateException("--models: no checkpoints found (" + t.describe() + "); train some"
                        + " with `escope reproduce --quick` or name the models");
            }
        }
        List<TargetModel> out = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        for (ModelRef ref : refs) {
            TargetModel m = t.model(ref, mcSamples);
            out.add(m);
            labels.merge(m.label(), 1, Integer::sum);
        }
        // Two models of one method and k: tell them apart by name.
        return out.stream().map(m -> labels.get(m.label()) > 1 ? m.withLabel(m.label() + " " + m.id()) : m)
                .toList();
    }

    private String datasetFor(TargetModel m) {
        if (dataset != null) {
            return dataset;
        }
        long[] shape = m.inputShape();
        if (Arrays.equals(shape, new long[] {1, 28, 28})) {
            return "mnist";
        }
        if (Arrays.equals(shape, new long[] {3, 32, 32})) {
            return "cifar10";
        }
        throw new IllegalArgumentException("--dataset: no default test set for " + m.id() + "'s input shape "
                + Arrays.toString(shape) + "; name one");
    }

    private ImageDataset load(String name) {
        int images = Math.max(RequestPool.DISTINCT * batch.stream().mapToInt(Integer::intValue).max().orElse(1), 512);
        return DatasetCatalog.shared().load(new DatasetRequest(name, Subset.TEST, 0, Math.min(images, 10_000), "",
                null, 0));
    }

    private Map<String, String> setup(InferenceTarget t, LoadTest.Settings settings, List<TargetModel> chosen,
                                      double loadBefore) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("command", "escope " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        s.put("target", t.describe());
        s.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        s.put("machine", String.format(Locale.ROOT, "%d cores, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version")));
        s.put("load average (1 min)", String.format(Locale.ROOT, "%.2f before, %.2f after", loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        s.put("models", String.join(", ", chosen.stream().map(m -> m.label() + " = " + m.id()).toList()));
        s.put("requests", switch (settings.rpc()) {
            case HEALTH -> "grpc.health.v1.Health/Check";
            case UNARY -> "unary Predict";
            case STREAM -> "PredictStream over " + streams + " stream(s)";
        } + (settings.rpc() == LoadTest.Rpc.HEALTH ? "" : " with raw UINT8 test images") + ", " + connections
                + " connection(s)");
        s.put("measurement", String.format(Locale.ROOT, "warm-up %s s, then %s s windows until the last %d agree"
                        + " within %s %% (p50 and throughput), at most %d; deadline %s s per request", warmup, window,
                stableWindows, stability, maxWindows, timeout));
        return s;
    }

    private static void writeRaw(Path dir, Map<String, long[]> raw) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, long[]> e : raw.entrySet()) {
            StringBuilder csv = new StringBuilder("latency_ns\n");
            for (long v : e.getValue()) {
                csv.append(v).append('\n');
            }
            Files.writeString(dir.resolve(io.ensemblescope.reports.ChartFiles.safe(e.getKey()) + ".csv"), csv);
        }
    }
}
