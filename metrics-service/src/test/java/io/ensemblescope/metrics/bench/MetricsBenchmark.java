package io.ensemblescope.metrics.bench;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.math.AveragePrecision;
import io.ensemblescope.metrics.math.Auroc;
import io.ensemblescope.metrics.math.Fpr95;
import io.ensemblescope.testing.RandomProbabilities;
import io.ensemblescope.metrics.math.RankedScores;
import io.ensemblescope.metrics.math.SplitAccumulator;
import io.ensemblescope.metrics.service.Chunks;
import io.ensemblescope.metrics.service.InProcessMetricsService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Evaluate ingest (k = 4, C = 10) through the accumulator alone and through in-process gRPC, and the ranking metrics
 * on 10⁶ scores. Not a test: run with {@code mvn -B -q -o -Pbench -pl metrics-service -am process-test-classes}.
 * Each figure is the median of the timed repetitions after warm-up ones.
 */
public final class MetricsBenchmark {
    private static final int K = 4;
    private static final int C = 10;
    private static final int CHUNK = 1024;
    private static final int DISTINCT_CHUNKS = 64;
    private static final int WARMUP = 3;
    private static final int REPEATS = 5;

    private MetricsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Random rnd = new Random(1);
        float[][] probs = new float[DISTINCT_CHUNKS][];
        int[][] labels = new int[DISTINCT_CHUNKS][];
        for (int i = 0; i < DISTINCT_CHUNKS; i++) {
            probs[i] = RandomProbabilities.members(rnd, K, CHUNK, C);
            labels[i] = RandomProbabilities.labels(rnd, CHUNK, C);
        }
        int accumulatorSamples = 2_000_000;
        double nanos = median(() -> ingest(probs, labels, accumulatorSamples, false, false));
        print("accumulator ingest (k=4, C=10, chunks of 1024), wall clock", accumulatorSamples / (nanos / 1e9),
                "samples/s");
        double cpuNanos = median(() -> ingest(probs, labels, accumulatorSamples, false, true));
        print("accumulator ingest, per second of process CPU time (all threads)",
                accumulatorSamples / (cpuNanos / 1e9), "samples/s");
        double withReport = median(() -> ingest(probs, labels, accumulatorSamples, true, false));
        print("accumulator ingest + result (adaptive ECE sort included)", accumulatorSamples / (withReport / 1e9),
                "samples/s");

        int grpcSamples = 500 * CHUNK;
        List<EvaluationChunk> chunks = new ArrayList<>();
        for (int s = 0, i = 0; s < grpcSamples; s += CHUNK, i = (i + 1) % DISTINCT_CHUNKS) {
            chunks.add(Chunks.chunk(Chunks.split(SplitKind.IN_DISTRIBUTION, "bench"), probs[i], K, CHUNK, C,
                    labels[i]));
        }
        try (InProcessMetricsService service = new InProcessMetricsService(EvaluationLimits.DEFAULT, "")) {
            double grpc = median(() -> {
                long t = System.nanoTime();
                try {
                    service.evaluate(chunks);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return System.nanoTime() - t;
            });
            print("Evaluate over in-process gRPC, chunks of 1024 (report included)", grpcSamples / (grpc / 1e9),
                    "samples/s");
        }

        int n = 1_000_000;
        double[] in = rnd.doubles(n / 2).toArray();
        double[] ood = rnd.doubles(n / 2).map(v -> v * 0.8 + 0.2).toArray();
        RankedScores ranked = RankedScores.of(ood, in);
        print("sort 10^6 scores (RankedScores.of)", median(() -> time(() -> RankedScores.of(ood, in))) / 1e9, "s");
        print("AUROC on 10^6 sorted scores", median(() -> time(() -> Auroc.of(ranked))) / 1e9, "s");
        print("AUPR (average precision) on 10^6 sorted scores",
                median(() -> time(() -> AveragePrecision.of(ranked))) / 1e9, "s");
        print("AUPR-In on 10^6 sorted scores", median(() -> time(() -> AveragePrecision.negativeClass(ranked))) / 1e9,
                "s");
        print("FPR95 on 10^6 sorted scores", median(() -> time(() -> Fpr95.of(ranked))) / 1e9, "s");
        print("all four from raw 10^6 scores (sort included)", median(() -> time(() -> {
            RankedScores r = RankedScores.of(ood, in);
            return Auroc.of(r) + AveragePrecision.of(r) + AveragePrecision.negativeClass(r) + Fpr95.of(r);
        })) / 1e9, "s");
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", processors: " + Runtime.getRuntime().availableProcessors() + ", load average: "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Nanoseconds (wall clock, or the process's CPU time over all threads) to feed {@code samples} samples into a new accumulator. */
    private static long ingest(float[][] probs, int[][] labels, int samples, boolean result, boolean cpu) {
        SplitAccumulator acc = new SplitAccumulator(K, C, true);
        long t = cpu ? processCpuNanos() : System.nanoTime();
        for (int s = 0, i = 0; s < samples; s += CHUNK, i = (i + 1) % DISTINCT_CHUNKS) {
            acc.accept(probs[i], K, CHUNK, C, labels[i]);
        }
        if (result) {
            acc.result();
        }
        return (cpu ? processCpuNanos() : System.nanoTime()) - t;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long time(java.util.function.Supplier<?> work) {
        long t = System.nanoTime();
        Object sink = work.get();
        long elapsed = System.nanoTime() - t;
        if (sink == null) {
            throw new IllegalStateException();
        }
        return elapsed;
    }

    private static double median(LongSupplier run) {
        for (int i = 0; i < WARMUP; i++) {
            run.getAsLong();
        }
        long[] times = new long[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            times[i] = run.getAsLong();
        }
        Arrays.sort(times);
        return times[REPEATS / 2];
    }

    private static void print(String what, double value, String unit) {
        System.out.println(String.format(Locale.ROOT, "%-70s %,14.3f %s", what, value, unit));
    }
}
