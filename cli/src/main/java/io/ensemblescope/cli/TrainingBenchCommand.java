package io.ensemblescope.cli;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import io.ensemblescope.cli.bench.NativeProfiler;
import io.ensemblescope.cli.bench.OpProfile;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.routines.TrainingThreads;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput per method: the MNIST MLP on MNIST and the small CIFAR ResNet (ResNet-20) on CIFAR-10, k = 4.
 * Prints a Markdown table for docs/BENCHMARKS.md; "wall s" is the whole method (every run, validation, setup). With {@code --reference pytorch} every workload also trains in
 * PyTorch eager (bench/pytorch_training_reference.py), alternating run by run with EnsembleScope over several rounds,
 * and the table gives both rates and their ratio.
 */
@Command(name = "training", description = "Measure training images/s per method and architecture.")
final class TrainingBenchCommand implements Callable<Integer> {
    private static final int BATCH = 128;
    private static final float DROPOUT = 0.1f;
    private static final int TOP_OPS = 12;

    static final int MNIST_TRAIN = 60_000;
    static final int CIFAR_TRAIN = 50_000;
    /** A tenth of the images is held out for validation, so the fewest that leave both sides non-empty. */
    static final int MIN_IMAGES = 10;

    @Option(names = "--mnist-images", description = "MNIST images per run, a tenth of them held out for validation"
            + " (" + MIN_IMAGES + ".." + MNIST_TRAIN + ").")
    int mnistImages = 10_000;

    @Option(names = "--cifar-images", description = "CIFAR-10 images per run, a tenth held out (0 skips ResNet-20,"
            + " else " + MIN_IMAGES + ".." + CIFAR_TRAIN + ").")
    int cifarImages = 1_000;

    @Option(names = "--epochs", description = "Epochs per run (the first warms up; the last is reported), 1..100.")
    int epochs = 2;

    @Option(names = "--members", description = "k for Deep Ensemble and BatchEnsemble (2..16).")
    int members = 4;

    @Option(names = "--reference", description = "Also train each workload in this reference: pytorch (eager).")
    String reference;

    @Option(names = "--rounds", description = "With --reference: rounds of alternating runs (median reported).")
    int rounds = 3;

    @Option(names = "--threads", description = "Intra-op threads of both engines (set before PyTorch loads);"
            + " EnsembleScope trains a network whose step is below 1 GFLOP on one.")
    int threads = 2;

    @Option(names = "--python", description = "With --reference: the Python interpreter.")
    String python = "python3";

    @Option(names = "--methods", split = ",", description = "Methods to train, comma-separated: single, mc-dropout,"
            + " deep-ensemble, batch-ensemble (default: all).")
    List<String> methodNames = List.of("single", "mc-dropout", "deep-ensemble", "batch-ensemble");

    @Option(names = "--profile", description = "Record libtorch's profiler over the last epoch's training steps of"
            + " each workload's first run into this chrome-trace JSON (one file per architecture and method, named"
            + " FILE.<arch>.<method>.json when there are several) and print per-op self time; with --reference"
            + " pytorch, PyTorch's profile of the same run goes beside it (….pytorch.json).")
    Path profile;

    private List<Method> methods;
    private final List<String> profileTables = new ArrayList<>();

    /** One benchmarked architecture: its dataset, optimizer and augmentation. */
    private record Workload(String arch, String dataset, int images, OptimizerConfig optimizer, boolean augment) {}

    @Override
    public Integer call() throws Exception {
        Values.range("--mnist-images", mnistImages, MIN_IMAGES, MNIST_TRAIN);
        if (cifarImages != 0) {
            Values.range("--cifar-images", cifarImages, MIN_IMAGES, CIFAR_TRAIN);
        }
        Values.range("--epochs", epochs, 1, 100);
        Values.range("--members", members, 2, 16);
        Values.range("--rounds", rounds, 1, 20);
        Values.range("--threads", threads, 1, 256);
        if (reference != null && !reference.equals("pytorch")) {
            throw new IllegalArgumentException("--reference must be pytorch, got '" + Values.prefix(reference) + "'");
        }
        if ((reference != null || profile != null) && epochs < 2) {
            throw new IllegalArgumentException("--epochs must be >= 2 with --reference or --profile (the first epoch"
                    + " warms up)");
        }
        methods = parseMethods(methodNames);
        if (profile != null && (profile.getParent() != null && !Files.isDirectory(profile.getParent()))) {
            throw new IllegalArgumentException("--profile: no such directory: " + Values.prefix(
                    profile.getParent().toString()));
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        List<Workload> workloads = new ArrayList<>();
        workloads.add(new Workload("mnist-mlp", "mnist", mnistImages, OptimizerConfig.adam(1e-3f, 1e-4f), false));
        if (cifarImages > 0) {
            workloads.add(new Workload("resnet20", "cifar10", cifarImages,
                    new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.05f, 0.9f, true, 5e-4f), true));
        }
        return reference == null ? plain(workloads) : sideBySide(workloads);
    }

    private int plain(List<Workload> workloads) throws Exception {
        System.out.println("| architecture | method | k | threads | images/s per run | ensemble images/s | epoch s"
                + " | wall s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Workload w : workloads) {
            TrainingData data = load(w);
            for (Method method : methods) {
                long start = System.nanoTime();
                EpochProbe probe = new EpochProbe();
                List<RunResult> runs = train(w, data, method, profiled(w, method, probe));
                double wall = (System.nanoTime() - start) / 1e9;
                double perRun = perRun(runs);
                // The ensemble has seen every training image once per epoch when all its runs have.
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.2f | %.2f |%n", w.arch(),
                        method, k(method), probe.threads(), perRun, perRun / runs.size(),
                        runs.get(0).history().get(epochs - 1).seconds(), wall);
                System.err.printf(Locale.ROOT, "%s %s done in %.1f s%n", w.arch(), method, wall);
            }
        }
        printProfiles();
        return 0;
    }

    /**
     * Alternates EnsembleScope and PyTorch run by run, round after round, so load from other processes hits both
     * alike; reports medians of the rates and of the per-round ratios.
     */
    private int sideBySide(List<Workload> workloads) throws Exception {
        Path script = Path.of(System.getProperty("escope.repo.root", "."), "bench", "pytorch_training_reference.py");
        Map<String, double[][]> rates = new LinkedHashMap<>();
        Map<String, Integer> ourThreads = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        try (PytorchReference torch = PytorchReference.start(python, script, threads)) {
            Map<String, TrainingData> data = new LinkedHashMap<>();
            Map<String, Path> exported = new LinkedHashMap<>();
            for (Workload w : workloads) {
                data.put(w.arch(), load(w));
                exported.put(w.arch(), torch.export(w.arch(), data.get(w.arch()).train()));
            }
            for (int round = 0; round < rounds; round++) {
                for (Workload w : workloads) {
                    for (Method method : methods) {
                        EpochProbe probe = new EpochProbe();
                        List<RunResult> runs = train(w, data.get(w.arch()), method,
                                round == 0 ? profiled(w, method, probe) : probe);
                        Path theirTrace = round == 0 && profile != null ? trace(w, method, ".pytorch") : null;
                        double[] theirs = torch.rates(exported.get(w.arch()), w.arch(), method.name(), k(method),
                                epochs, BATCH, DROPOUT, w.augment(), theirTrace);
                        if (theirTrace != null) {
                            profileTables.add(OpProfile.read(theirTrace).table("PyTorch eager " + w.arch() + " "
                                    + method + " (" + theirTrace + ")", TOP_OPS, steps(data.get(w.arch()))));
                        }
                        double[][] r = rates.computeIfAbsent(w.arch() + " " + method, x -> new double[4][rounds]);
                        ourThreads.put(w.arch() + " " + method, probe.threads());
                        r[0][round] = perRun(runs);
                        r[1][round] = theirs[0];
                        r[2][round] = probe.lastEpochImagesPerCpuSecond(data.get(w.arch()).train().size());
                        r[3][round] = theirs[1];
                        System.err.printf(Locale.ROOT, "round %d %s %s: EnsembleScope %.0f, PyTorch %.0f images/s per"
                                + " run; per CPU-second %.0f and %.0f%n", round + 1, w.arch(), method, r[0][round],
                                r[1][round], r[2][round], r[3][round]);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "Measured %s, %d rounds, PyTorch on %d intra-op threads, EnsembleScope on up to"
                + " %d (one below %.0e forward FLOPs per step), OMP_WAIT_POLICY=%s, load average %s → %s%n%n",
                started, rounds, threads, threads, TrainingThreads.SMALL_STEP_FLOPS,
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"), loadBefore, loadAverage());
        System.out.println("| workload | k | EnsembleScope threads | EnsembleScope images/s per run | PyTorch eager"
                + " images/s per run | ratio | EnsembleScope images per CPU-second | PyTorch images per CPU-second"
                + " | CPU ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (var e : rates.entrySet()) {
            double[][] r = e.getValue();
            Method method = Method.valueOf(e.getKey().substring(e.getKey().indexOf(' ') + 1));
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %s | %.0f | %.0f | %s |%n", e.getKey(),
                    k(method), ourThreads.get(e.getKey()), median(r[0]), median(r[1]), ratio(r[0], r[1]),
                    median(r[2]), median(r[3]), ratio(r[2], r[3]));
        }
        double[][] single = rates.get("resnet20 " + Method.SINGLE);
        double[][] be = rates.get("resnet20 " + Method.BATCH_ENSEMBLE);
        if (single != null && be != null) {
            double[] perMember = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                perMember[i] = be[0][i] / (single[0][i] / members);
            }
            System.out.printf(Locale.ROOT, "%nResNet-20 BatchEnsemble per-run rate / (single / k), EnsembleScope: %.2f (%.2f–%.2f)%n",
                    median(perMember), Arrays.stream(perMember).min().orElse(0),
                    Arrays.stream(perMember).max().orElse(0));
        }
        printProfiles();
        return 0;
    }

    /** Median of the per-round ratios a/b, with their range. */
    private static String ratio(double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median(ratios), Arrays.stream(ratios).min().orElse(0),
                Arrays.stream(ratios).max().orElse(0));
    }

    /**
     * Read at each epoch end of each run, on the training thread: the process's CPU time (all threads: engine, JIT,
     * GC), so the last epoch's cost in CPU-seconds can be set beside PyTorch's, and the intra-op threads the run
     * trains on. On a machine shared with other builds CPU time is the steadier measure: wall time depends on which
     * process the scheduler favours. The span includes the epoch's validation and snapshot, which the reference does
     * not do, so it errs against EnsembleScope.
     */
    private static final class EpochProbe implements TrainListener {
        private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final Map<Integer, List<Long>> marks = new LinkedHashMap<>();
        private int threads;

        @Override
        public void onEpoch(int run, EpochRecord record) {
            marks.computeIfAbsent(run, x -> new ArrayList<>()).add(os.getProcessCpuTime());
            threads = Math.max(threads, JniUtils.getNumThreads());
        }

        /** The most intra-op threads a run trained on. */
        int threads() {
            return threads;
        }

        /** Training images per CPU-second of the last epoch, averaged over runs. */
        double lastEpochImagesPerCpuSecond(int images) {
            return marks.values().stream().mapToDouble(m -> images / ((m.get(m.size() - 1) - m.get(m.size() - 2))
                    / 1e9)).average().orElse(0);
        }
    }

    private int k(Method method) {
        return method.isEnsemble() ? members : 1;
    }

    private TrainingData load(Workload w) throws IOException {
        ImageDataset all = DatasetCatalog.shared().load(new DatasetRequest(w.dataset(), Subset.TRAIN, 0, w.images(),
                "", null, 0));
        int validation = w.images() / 10;
        return new TrainingData(all.slice(0, w.images() - validation), all.slice(w.images() - validation,
                validation));
    }

    /** Parses --methods (single, mc-dropout, deep-ensemble, batch-ensemble), keeping their order, no repeats. */
    static List<Method> parseMethods(List<String> names) {
        List<Method> parsed = new ArrayList<>();
        for (String name : names) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            Method m = Arrays.stream(Method.values()).filter(x -> x.name().replace('_', '-').toLowerCase(Locale.ROOT)
                    .equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException("--methods must be"
                    + " single, mc-dropout, deep-ensemble or batch-ensemble, got '" + Values.prefix(name) + "'"));
            if (!parsed.contains(m)) {
                parsed.add(m);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("--methods must name at least one method");
        }
        return parsed;
    }

    /**
     * With --profile, a listener that records the native profiler over the last epoch of the workload's first run
     * and, when training returns, adds its op table; else {@code listener} itself.
     */
    private TrainListener profiled(Workload w, Method method, TrainListener listener) {
        if (profile == null) {
            return listener;
        }
        Path trace = trace(w, method, "");
        pendingTrace = new PendingTrace(new NativeProfiler(listener, trace, epochs, 0), trace, w.arch() + " "
                + method);
        return pendingTrace.profiler();
    }

    /** The trace written by the last {@link #profiled} listener, summarised once its training returned. */
    private record PendingTrace(NativeProfiler profiler, Path trace, String title) {}

    private PendingTrace pendingTrace;

    private void summarisePendingTrace(TrainingData data) throws IOException {
        if (pendingTrace == null) {
            return;
        }
        PendingTrace p = pendingTrace;
        pendingTrace = null;
        if (!p.profiler().written()) {
            profileTables.add("EnsembleScope " + p.title() + ": no profile (the run ended before its last epoch)\n");
            return;
        }
        profileTables.add(OpProfile.read(p.trace()).table("EnsembleScope " + p.title() + " (" + p.trace() + ")",
                TOP_OPS, steps(data)));
    }

    /** FILE, or FILE.<arch>.<method>[engine].json when several workloads or methods are profiled. */
    private Path trace(Workload w, Method method, String engine) {
        String name = profile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        boolean several = methods.size() > 1 || cifarImages > 0;
        String middle = several ? "." + w.arch() + "." + method.name().replace('_', '-').toLowerCase(Locale.ROOT)
                : "";
        return profile.resolveSibling(stem + middle + engine + ".json");
    }

    /** Training steps in an epoch of {@code data} (a partial last batch counts). */
    private static int steps(TrainingData data) {
        return (data.train().size() + BATCH - 1) / BATCH;
    }

    private void printProfiles() {
        for (String table : profileTables) {
            System.out.println();
            System.out.print(table);
        }
    }

    private List<RunResult> train(Workload w, TrainingData data, Method method, TrainListener listener)
            throws IOException {
        NetworkSpec spec = new NetworkSpec(w.arch(), method, k(method), DROPOUT, 8, null);
        TrainConfig cfg = new TrainConfig(w.optimizer(), new int[0], 1f, epochs, BATCH, 0, false, w.augment());
        JobSpec job = new JobSpec("bench", spec, cfg, Map.of("name", w.dataset()), 0.1,
                JobSpec.expandSeeds(List.of(1L), spec.replicas()));
        Path work = Files.createTempDirectory("escope-bench");
        try {
            List<RunResult> runs = LocalRuns.trainAll(job, data, work, Device.cpu(), listener, RunControl.NONE);
            summarisePendingTrace(data);
            return runs;
        } finally {
            Utils.deleteQuietly(work); // snapshots of a benchmark are not kept
        }
    }

    /** The last epoch's images/s, averaged over the job's runs (Deep-Ensemble members). */
    private double perRun(List<RunResult> runs) {
        return runs.stream().mapToDouble(r -> r.history().get(epochs - 1).imagesPerSecond()).average().orElse(0);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
