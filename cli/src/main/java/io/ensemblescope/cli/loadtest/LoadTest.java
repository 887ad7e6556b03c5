package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelState;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.reports.load.LoadPoint;
import io.ensemblescope.reports.load.LoadResult;
import io.ensemblescope.reports.load.ModelMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A load test of several models over a grid of batch sizes and loads, through one {@link InferenceTarget}. Runs are
 * interleaved — for each batch size, for each load, every model in turn — so drift in the machine's load hits all
 * models alike and the side-by-side ratios stay fair. Models the server had not loaded are loaded first (their
 * memory measured when the server is in-process) and unloaded at the end.
 */
public final class LoadTest {
    /** The RPC driven: unary Predict, PredictStream, or the gRPC health check. */
    public enum Rpc { UNARY, STREAM, HEALTH }

    /**
     * @param batches samples per request
     * @param levels loads, in order
     * @param timeoutNanos deadline of each unary request
     * @param streams PredictStream calls requests are spread over
     * @param maxOutstanding open loop: most requests in flight
     * @param seed Poisson arrivals' seed
     * @param mcSamples MC Dropout T sent with its requests (0: the model's default)
     * @param keepRaw keep every latency of the measured windows (for --record-latencies)
     */
    public record Settings(List<Integer> batches, List<LoadLevel> levels, Rpc rpc, Measurement measurement,
                           long timeoutNanos, int streams, int maxOutstanding, long seed, int mcSamples,
                           boolean keepRaw) {
        public Settings {
            batches = List.copyOf(batches);
            levels = List.copyOf(levels);
        }

        public int runs(int models) {
            return (rpc == Rpc.HEALTH ? 1 : batches.size()) * levels.size() * models;
        }
    }

    /** Every run, the loaded models' memory, and the raw latencies per run id when kept. */
    public record Outcome(List<LoadResult> results, List<ModelMemory> memory, Map<String, long[]> raw) {}

    private final InferenceTarget target;
    private final Settings settings;
    private final LoadProgress progress;
    private final long jitWarmUpNanos;

    public LoadTest(InferenceTarget target, Settings settings, LoadProgress progress) {
        this(target, settings, progress, 0);
    }

    /**
     * @param jitWarmUpNanos unrecorded traffic before the first run, split across the models: without it the first
     *     runs meet a cold JIT (client and in-process server alike), and with short warm-ups per run the p50 of a
     *     quick Cost section fell with the order models were measured in (3.8 ms for the first row of the quick
     *     ablation, the cheapest model, 0.6–0.7 ms for the twelfth; docs/BENCHMARKS.md, "Order bias")
     */
    public LoadTest(InferenceTarget target, Settings settings, LoadProgress progress, long jitWarmUpNanos) {
        this.target = target;
        this.settings = settings;
        this.progress = progress;
        this.jitWarmUpNanos = jitWarmUpNanos;
    }

    /** @param images real test images for a model's input shape */
    public Outcome run(List<TargetModel> models, Function<TargetModel, ImageDataset> images) throws Exception {
        List<ModelMemory> memory = new ArrayList<>();
        List<TargetModel> loaded = new ArrayList<>();
        List<LoadResult> results = new ArrayList<>();
        Map<String, long[]> raw = new LinkedHashMap<>();
        target.connect();
        try {
            for (TargetModel m : models) {
                if (settings.rpc() != Rpc.HEALTH) {
                    memory.add(prepare(m, loaded));
                }
            }
            List<Integer> batches = settings.rpc() == Rpc.HEALTH ? List.of(1) : settings.batches();
            warmUp(models, images, batches.get(0));
            for (int batch : batches) {
                Map<TargetModel, RequestPool> pools = new LinkedHashMap<>();
                for (TargetModel m : models) {
                    pools.put(m, settings.rpc() == Rpc.HEALTH ? null : RequestPool.of(m.ref(), images.apply(m), batch,
                            m.method() == Method.MC_DROPOUT ? settings.mcSamples() : 0));
                }
                for (LoadLevel level : settings.levels()) {
                    for (TargetModel m : models) {
                        progress.running(String.format(Locale.ROOT, "%s B=%d", m.label(), batch));
                        Run run = run(m, pools.get(m), level, batch);
                        results.add(run.result());
                        if (run.raw() != null) {
                            raw.put(m.ref().getName() + "-" + run.result().point().id(), run.raw());
                        }
                        progress.finished(run.result());
                    }
                }
            }
        } finally {
            for (TargetModel m : loaded) {
                target.admin().unloadModel(UnloadModelRequest.newBuilder().setModel(m.ref()).build());
            }
            progress.end();
        }
        return new Outcome(results, memory, raw);
    }

    /** Every model in turn, one request in flight at the first batch size; nothing recorded. */
    private void warmUp(List<TargetModel> models, Function<TargetModel, ImageDataset> images, int batch)
            throws InterruptedException {
        if (jitWarmUpNanos <= 0 || models.isEmpty()) {
            return;
        }
        Measurement each = new Measurement(0, Math.max(1, jitWarmUpNanos / models.size()), 1, 1, 1.0,
                settings.measurement().drainNanos());
        for (TargetModel m : models) {
            progress.running(m.label() + " warming up");
            RequestPool pool = settings.rpc() == Rpc.HEALTH ? null : RequestPool.of(m.ref(), images.apply(m), batch,
                    m.method() == Method.MC_DROPOUT ? settings.mcSamples() : 0);
            run(m, pool, LoadLevel.closed(1), batch, each);
        }
    }

    /** Loads the model unless it is serving already; memory is measured around the load when in-process. */
    private ModelMemory prepare(TargetModel m, List<TargetModel> loaded) {
        var state = target.admin().getModel(GetModelRequest.newBuilder().setModel(m.ref()).build()).getState();
        if (state == ModelState.READY) {
            return new ModelMemory(m.id(), m.label(), target.probe().map(p -> p.nativeBytes(m.ref().getName()))
                    .orElse(null), null);
        }
        Double before = target.probe().map(ServerProbe::rssBytes).orElse(null);
        target.admin().loadModel(LoadModelRequest.newBuilder().setModel(m.ref()).build());
        loaded.add(m);
        return new ModelMemory(m.id(), m.label(),
                target.probe().map(p -> p.nativeBytes(m.ref().getName())).orElse(null),
                target.probe().map(p -> p.rssBytes() - before).orElse(null));
    }

    private record Run(LoadResult result, long[] raw) {}

    private Run run(TargetModel m, RequestPool pool, LoadLevel level, int batch) throws InterruptedException {
        return run(m, pool, level, batch, settings.measurement());
    }

    private Run run(TargetModel m, RequestPool pool, LoadLevel level, int batch, Measurement measurement)
            throws InterruptedException {
        String rpc = settings.rpc().name().toLowerCase(Locale.ROOT);
        Sender sender = switch (settings.rpc()) {
            case UNARY -> UnarySender.predict(target.channels(), pool, settings.timeoutNanos());
            case STREAM -> new StreamSender(target.channels(), pool, settings.streams());
            case HEALTH -> UnarySender.health(target.channels(), settings.timeoutNanos());
        };
        Driver driver = level.open()
                ? new OpenLoop(sender, level.rate(), level.arrivals(), settings.seed(), settings.maxOutstanding())
                : new ClosedLoop(sender, level.concurrency());
        LoadPoint point = level.open()
                ? LoadPoint.open(level.rate(), level.arrivals().name().toLowerCase(Locale.ROOT), batch, rpc)
                : LoadPoint.closed(level.concurrency(), batch, rpc);
        RunOutcome o = new Generator(measurement, settings.keepRaw()).run(driver, sender,
                w -> progress.running(String.format(Locale.ROOT, "%s B=%d %s window %.0f req/s", m.label(), batch,
                        point.load(), w.throughput())));
        Interval measured = o.measured();
        LoadResult result = new LoadResult(m.id(), m.label(), m.methodName(), point, o.windows().size(), o.stable(),
                o.seconds(), o.completed(), o.completed() * batch, o.throughput(), o.throughput() * batch,
                Summaries.latency(measured.latency()), Summaries.latency(measured.service()),
                Summaries.server(measured), measured.errors(), o.notSent(), o.sendRate(),
                measured.sendLag().getTotalCount() == 0 ? 0 : measured.sendLag().getValueAtPercentile(99) / 1e3,
                o.cpu(), target.probe().map(ServerProbe::rssBytes).orElse(null), Summaries.cdf(measured.latency()),
                Summaries.windows(o.windows()));
        return new Run(result, measured.raw());
    }
}
