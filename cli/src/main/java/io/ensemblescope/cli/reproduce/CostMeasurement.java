package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.loadtest.InferenceTarget;
import io.ensemblescope.cli.loadtest.LoadLevel;
import io.ensemblescope.cli.loadtest.LoadProgress;
import io.ensemblescope.cli.loadtest.LoadTest;
import io.ensemblescope.cli.loadtest.Measurement;
import io.ensemblescope.cli.loadtest.ServerProbe;
import io.ensemblescope.cli.loadtest.TargetModel;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.NetworkCost;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.reports.CostTable;
import io.ensemblescope.reports.MethodCost;
import io.ensemblescope.reports.load.LoadResult;
import io.ensemblescope.reports.load.ModelMemory;
import io.ensemblescope.rpc.security.ClientSecurity;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The report's Cost section, measured at the end of a study on the study's own inference service with the load-test
 * engine: every method's first-seed checkpoint, one request at a time and {@link #peakConcurrency()} in flight, at
 * B = 1 and B = 32, with short windows so that the whole measurement stays within its budget (60 s, 20 s quick);
 * parameters and FLOPs come from the checkpoint's architecture.
 */
public final class CostMeasurement {
    /** What is measured per method. */
    public enum Scope {
        /** B = 1 and 32, one and {@link #peakConcurrency()} requests in flight: the study report's Cost section. */
        FULL(List.of(1, 32), true),
        /** B = 1, one request in flight: the p50 latency an ablation's many rows need, at a fraction of the time. */
        BATCH1(List.of(1), false);

        final List<Integer> batches;
        final boolean peak;

        Scope(List<Integer> batches, boolean peak) {
            this.batches = batches;
            this.peak = peak;
        }
    }

    private final TrainerServiceGrpc.TrainerServiceBlockingStub trainer;
    private final String inferenceAddress;
    private final ClientSecurity security;
    private final ServerProbe probe;
    private final boolean quick;
    private final PrintStream progress;
    private final Scope scope;

    /**
     * @param inferenceAddress host:port of the study's inference service, reached as {@code security} says
     * @param probe memory probe when that service runs in this process, else null
     */
    public CostMeasurement(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String inferenceAddress,
                           ClientSecurity security, ServerProbe probe, boolean quick, PrintStream progress) {
        this(trainer, inferenceAddress, security, probe, quick, progress, Scope.FULL);
    }

    public CostMeasurement(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String inferenceAddress,
                           ClientSecurity security, ServerProbe probe, boolean quick, PrintStream progress,
                           Scope scope) {
        this.scope = scope;
        this.trainer = trainer;
        this.inferenceAddress = inferenceAddress;
        this.security = security;
        this.probe = probe;
        this.quick = quick;
        this.progress = progress;
    }

    /** Requests in flight for the peak-throughput runs: enough to keep every core busy. */
    static int peakConcurrency() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * Warm-up, window, stable and most windows: 16 runs of 1.9–2.7 s by default, of 0.4 s quick (a smoke run's
     * latencies: each window still holds a few hundred MLP requests), leaving room in the 60 s (20 s) budget for
     * loading the models on a busy machine.
     */
    Measurement measurement() {
        return quick ? new Measurement(ms(100), ms(150), 2, 2, 0.1, TimeUnit.SECONDS.toNanos(11))
                : new Measurement(ms(300), ms(800), 3, 2, 0.1, TimeUnit.SECONDS.toNanos(11));
    }

    /** Unrecorded traffic over every model before the first run, so that no method is measured on a cold JIT. */
    long jitWarmUp() {
        return quick ? ms(1_500) : ms(3_000);
    }

    /** @param checkpoints the study's methods (label → method) and the checkpoint of each to measure */
    public CostTable measure(StudyPlan plan, Map<StudyMethod, ModelRef> checkpoints) throws Exception {
        long start = System.nanoTime();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String dataset = dataset(plan);
        ImageDataset images = DatasetCatalog.shared().load(new DatasetRequest(dataset, Subset.TEST, 0, 512, "", null,
                0));
        Measurement m = measurement();
        // Only MC Dropout takes T; the load test sends it to MC Dropout models alone.
        int mcSamples = checkpoints.keySet().stream().mapToInt(StudyMethod::mcSamples).max().orElse(0);
        List<LoadLevel> levels = scope.peak ? List.of(LoadLevel.closed(1), LoadLevel.closed(peakConcurrency()))
                : List.of(LoadLevel.closed(1));
        LoadTest.Settings settings = new LoadTest.Settings(scope.batches, levels, LoadTest.Rpc.UNARY, m, TimeUnit.SECONDS.toNanos(10), 1, 1, 1,
                mcSamples, false);
        Map<String, MethodCost> costs = new LinkedHashMap<>();
        try (InferenceTarget target = InferenceTarget.running(inferenceAddress, 1, probe, security)) {
            Map<StudyMethod, TargetModel> models = new LinkedHashMap<>();
            for (Map.Entry<StudyMethod, ModelRef> e : checkpoints.entrySet()) {
                models.put(e.getKey(), target.model(e.getValue(), mcSamples).withLabel(e.getKey().label()));
            }
            // One load test over every method, so its runs interleave and machine-load drift hits all alike.
            LoadTest.Outcome o = new LoadTest(target, settings, new LoadProgress(progress, LoadProgress.terminal(),
                    settings.runs(models.size()), m.minNanos()), jitWarmUp()).run(List.copyOf(models.values()),
                    t -> images);
            for (Map.Entry<StudyMethod, TargetModel> e : models.entrySet()) {
                costs.put(e.getKey().label(), cost(e.getValue(), e.getKey(), o));
            }
        }
        List<String> notes = List.of(String.format(Locale.ROOT, "Measured at the end of the study on its inference"
                        + " service (%s) with the `escope loadtest` engine: unary Predict of %s test images, closed"
                        + " loop with %s in flight at B = %s; %.1f s of unrecorded traffic over every model first,"
                        + " then per run a warm-up of %.1f s and %.2f s"
                        + " windows until p50 and throughput agree within 10 %% over %d (at most %d). Peak throughput"
                        + " is the highest samples/s of those runs.", probe != null ? "in-process" : inferenceAddress,
                dataset, scope.peak ? "1 and " + peakConcurrency() + " requests" : "1 request",
                scope.batches.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" and ")),
                jitWarmUp() / 1e9, m.warmupNanos() / 1e9, m.windowNanos() / 1e9, m.stableWindows(),
                m.maxWindows()),
                String.format(Locale.ROOT, "Machine: %d cores, load average %.2f before and %.2f after; the whole"
                                + " measurement took %.0f s.", Runtime.getRuntime().availableProcessors(), loadBefore,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        (System.nanoTime() - start) / 1e9),
                probe != null ? "Served memory: the native arrays the loaded model holds in the server."
                        : "Served memory is measured only when the services run in this process.");
        return new CostTable(notes, costs);
    }

    private MethodCost cost(TargetModel model, StudyMethod method, LoadTest.Outcome o) throws Exception {
        Manifest manifest = CheckpointStore.parseManifest(trainer.getCheckpoint(model.ref()).getManifestJson());
        NetworkCost network = NetworkCost.of(manifest.network(), manifest.classes(), method.mcSamples());
        ModelMemory memory = o.memory().stream().filter(x -> x.model().equals(model.id())).findFirst().orElse(null);
        List<LoadResult> runs = o.results().stream().filter(r -> r.model().equals(model.id())).toList();
        LoadResult peak = runs.stream().max(Comparator.comparingDouble(LoadResult::samplesPerSecond)).orElseThrow();
        return new MethodCost(model.id(), network.sharedParameters(), network.perMemberParameters(),
                network.members(), network.parameters(), network.weightBytes(), network.flopsPerSample(),
                memory == null ? null : memory.nativeBytes(), memory == null ? null : memory.rssGrowthBytes(),
                latency(runs, 1), scope.batches.contains(32) ? latency(runs, 32) : null, peak.samplesPerSecond(),
                String.format(Locale.ROOT, "B = %d, %d in flight", peak.point().batch(), peak.point().concurrency()));
    }

    /** One request at a time at batch B. */
    private static MethodCost.Latency latency(List<LoadResult> results, int batch) {
        return results.stream().filter(r -> r.point().batch() == batch && r.point().concurrency() == 1).findFirst()
                .map(r -> new MethodCost.Latency(r.latency().p50(), r.latency().p99(), r.requests()))
                .orElse(new MethodCost.Latency(Double.NaN, Double.NaN, 0));
    }

    /** The study's in-distribution set, whose test images its models were made for. */
    private static String dataset(StudyPlan plan) {
        return plan.evaluation().stream()
                .filter(e -> e.getSplit().getKind() == SplitKind.IN_DISTRIBUTION && e.getDataset().getPath().isEmpty())
                .map(e -> e.getDataset().getName()).findFirst().orElse(plan.template().getDataset().getName());
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
