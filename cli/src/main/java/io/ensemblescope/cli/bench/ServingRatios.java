package io.ensemblescope.cli.bench;

import ai.djl.Device;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.fused.FusedLayer;
import io.ensemblescope.core.fused.FusedNetwork;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ServingBench} per architecture and renders what docs/BENCHMARKS.md records: p50 latencies per path,
 * the serving ratios against their targets, and the memory each fusion choice costs.
 */
public final class ServingRatios {
    private static final String[] LABELS = {"single", "MC Dropout T=4", "Deep Ensemble k=4", "BatchEnsemble k=4"};

    private final Device device;
    private final List<Integer> batches;
    private final List<Integer> grpcBatches;
    private final int rounds;
    private final long cellNanos;
    private final long layerBudget;

    public ServingRatios(Device device, List<Integer> batches, List<Integer> grpcBatches, int rounds, int cellMillis,
                         long layerBudget) {
        this.layerBudget = layerBudget;
        this.device = device;
        this.batches = List.copyOf(batches);
        this.grpcBatches = List.copyOf(grpcBatches);
        this.rounds = rounds;
        this.cellNanos = TimeUnit.MILLISECONDS.toNanos(cellMillis);
    }

    /** Measures every architecture; prints the device line at once and returns the rest as Markdown. */
    public String run(List<String> architectures) throws Exception {
        StringBuilder s = new StringBuilder();
        s.append(String.format("Device: %s (PyTorch %s, %d GPU(s) visible); %d cores; started %s at load average"
                + " %.2f; %d rounds of %d ms per configuration, all configurations of a batch size taking turns call by call in a fresh random order each turn; timings end when the answer is on the host%s.%n",
                device, Engines.pytorch().getVersion(), Engines.pytorch().getGpuCount(),
                Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS), load(),
                rounds, TimeUnit.NANOSECONDS.toMillis(cellNanos),
                device.isGpu() ? " (every call copies its outputs back, so GPU work is synchronised)" : ""));
        System.out.println(s.toString().strip()); // the device first, so a failing GPU run shows what it found
        s.setLength(0);
        for (String arch : architectures) {
            try (ServingBench bench = new ServingBench(arch, device, layerBudget)) {
                for (int round = 0; round < rounds; round++) {
                    for (int b : batches) {
                        bench.round(b, grpcBatches.contains(b), cellNanos);
                    }
                    System.err.printf("%s: round %d of %d done%n", arch, round + 1, rounds);
                }
                s.append('\n').append(render(bench));
            }
        }
        s.append(String.format("%nFinished %s at load average %.2f.%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                load()));
        return s.toString();
    }

    private String render(ServingBench b) {
        StringBuilder s = new StringBuilder();
        s.append("### ").append(b.arch()).append("\n\np50 latency in µs (p99 in parentheses for the served paths):"
                + " raw = the model's own training forward in plain DJL (normalized input, softmax, copied back);"
                + " in-process = the serving core with fusion (default) / without it; gRPC = the full server on"
                + " loopback (fused: predictions start on the transport thread; unfused: the serving path before this"
                + " work).\n\n| method | B | raw | in-process fused | in-process unfused | gRPC fused | gRPC unfused |\n"
                + "|---|---|---|---|---|---|---|\n");
        String[] methods = ServingBench.METHODS;
        for (int i = 0; i < methods.length; i++) {
            for (int batch : batches) {
                row(s, b, LABELS[i], methods[i], batch);
            }
        }
        for (int batch : batches) {
            row(s, b, "single(4B)", "single(4B)", batch);
        }
        s.append("\nServing ratios (targets of issue #14; ✓ met, ✗ not met):\n\n| ratio | B | value | target |\n"
                + "|---|---|---|---|\n");
        int one = batches.get(0);
        for (int i = 0; i < methods.length; i++) {
            double d = b.p50("fused/" + methods[i] + "@" + one) - b.p50("raw/" + methods[i] + "@" + one);
            target(s, "in-process − raw forward, " + LABELS[i] + " (µs)", one, d, 50, "≤ +50 µs");
        }
        for (int g : grpcBatches) {
            for (int i = 0; i < methods.length; i++) {
                double d = b.p50("grpc/" + methods[i] + "@" + g) - b.p50("fused/" + methods[i] + "@" + g);
                target(s, "gRPC − in-process, " + LABELS[i] + " (µs)", g, d, 150, "≤ +150 µs");
            }
            for (int i = 0; i < methods.length; i++) {
                String unfused = methods[i].equals("mc") ? "fused/" : "unfused/";
                s.append(String.format("| gRPC − in-process, %s, before (µs) | %d | %.2f | — |%n", LABELS[i], g,
                        b.p50("grpc-unfused/" + methods[i] + "@" + g) - b.p50(unfused + methods[i] + "@" + g)));
            }
        }
        for (int batch : batches) {
            target(s, "BE(k=4, B) / single(4B), fused", batch, ratio(b, "fused/be", "fused/single(4B)", batch), 1.15,
                    "≤ 1.15");
        }
        for (int batch : batches) {
            s.append(String.format("| BE(k=4, B) / single(4B), unfused (before) | %d | %.2f | — |%n", batch,
                    ratio(b, "unfused/be", "unfused/single(4B)", batch)));
        }
        target(s, "BE / DE, both fused (DE stacked)", one, ratio(b, "fused/be", "fused/de", one), 0.6, "≤ 0.6");
        target(s, "BE fused / DE on replica threads (unfused)", one, ratio(b, "fused/be", "unfused/de", one), 0.6,
                "≤ 0.6");
        s.append(String.format("| BE / DE, both unfused (before) | %d | %.2f | — |%n", one,
                ratio(b, "unfused/be", "unfused/de", one)));
        s.append(String.format("| DE stacked / DE on replica threads | %d | %.2f | < 1: stacking pays |%n", one,
                ratio(b, "fused/de", "unfused/de", one)));
        transport(s, b);
        s.append("\nProcess CPU time per call, µs (all threads of this JVM: client, transport, engine, and also GC"
                + " and JIT compiler threads, so an upper bound on the work), against p50 wall"
                + " time: what gRPC adds in work, and what it adds in waiting for threads to be scheduled.\n\n"
                + "| method | B | in-process CPU / wall | gRPC CPU / wall | gRPC unfused CPU / wall |\n"
                + "|---|---|---|---|---|\n");
        for (int g : grpcBatches) {
            for (int i = 0; i < methods.length; i++) {
                String key = methods[i] + "@" + g;
                s.append(String.format("| %s | %d | %s | %s | %s |%n", LABELS[i], g, cpu(b, "fused/" + key),
                        cpu(b, "grpc/" + key), cpu(b, "grpc-unfused/" + key)));
            }
        }
        s.append("\nFusion per model (budget ").append(layerBudget >> 10)
                .append(" KiB per layer): weight layers by form, and the bytes of serving tensors they keep.\n\n"
                        + "| model | layers by form | fused bytes | BatchNorms folded |\n|---|---|---|---|\n");
        for (int i = 0; i < methods.length; i++) {
            FusedNetwork f = b.fusedForm(methods[i]);
            if (f == null) {
                s.append("| ").append(LABELS[i]).append(" | not fused (stochastic) | — | — |\n");
                continue;
            }
            Map<String, Long> forms = new TreeMap<>();
            f.layers().forEach(l -> forms.merge(l.fusion().name(), 1L, Long::sum));
            s.append(String.format("| %s | %s | %d | %d |%n", LABELS[i], forms, f.bytes(),
                    f.layers().stream().filter(FusedLayer::batchNormFolded).count()));
        }
        return s.toString();
    }

    /**
     * What gRPC adds above its own floor: the health check on the same channel and server (its handler is a map
     * lookup) is what any unary call costs on this transport; what Predict adds beyond it is the project's.
     */
    private void transport(StringBuilder s, ServingBench b) {
        if (grpcBatches.isEmpty()) {
            return;
        }
        s.append("\nThe transport floor: p50 of the health check (a unary call answered by a map lookup) on the same"
                + " server and channel as Predict, blocking stub / future stub on a direct-executor channel; then per"
                + " method gRPC − in-process and what is left of it above the floor, µs.\n\n"
                + "| B | floor, blocking | floor, direct executor | floor, server before (call executor) |\n"
                + "|---|---|---|---|\n");
        for (int g : grpcBatches) {
            s.append(String.format("| %d | %.0f | %.0f | %.0f |%n", g, b.p50("grpc/floor@" + g),
                    b.p50("grpc-direct/floor@" + g), b.p50("grpc-unfused/floor@" + g)));
        }
        s.append("\n| method | B | gRPC − in-process | (gRPC − in-process) − floor | same, direct executor |"
                + " before: (gRPC − in-process) − floor |\n|---|---|---|---|---|---|\n");
        String[] methods = ServingBench.METHODS;
        for (int g : grpcBatches) {
            for (int i = 0; i < methods.length; i++) {
                String key = methods[i] + "@" + g;
                double over = b.p50("grpc/" + key) - b.p50("fused/" + key);
                double direct = b.p50("grpc-direct/" + key) - b.p50("fused/" + key);
                String unfused = methods[i].equals("mc") ? "fused/" : "unfused/";
                double before = b.p50("grpc-unfused/" + key) - b.p50(unfused + key);
                s.append(String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", LABELS[i], g, over,
                        over - b.p50("grpc/floor@" + g), direct - b.p50("grpc-direct/floor@" + g),
                        before - b.p50("grpc-unfused/floor@" + g)));
            }
        }
    }

    private void row(StringBuilder s, ServingBench b, String label, String method, int batch) {
        String key = method + "@" + batch;
        int rows = method.equals("single(4B)") ? ServingBench.K * batch : batch;
        s.append(String.format("| %s | %d | %s | %s | %s | %s | %s |%n", label, rows, cell(b, "raw/" + key, false),
                cell(b, "fused/" + key, true), cell(b, "unfused/" + key, true), cell(b, "grpc/" + key, true),
                cell(b, "grpc-unfused/" + key, true)));
    }

    private static String cell(ServingBench b, String key, boolean p99) {
        LatencyMeter m = b.meters.get(key);
        if (m == null) {
            return "—";
        }
        return p99 ? String.format("%.0f (%.0f)", m.p50Micros(), m.p99Micros()) : String.format("%.0f", m.p50Micros());
    }

    private static String cpu(ServingBench b, String key) {
        LatencyMeter m = b.meters.get(key);
        return m == null ? "—" : String.format("%.0f / %.0f", m.cpuMicros(), m.p50Micros());
    }

    private static double ratio(ServingBench b, String num, String den, int batch) {
        return b.p50(num + "@" + batch) / b.p50(den + "@" + batch);
    }

    private static void target(StringBuilder s, String what, int batch, double value, double limit, String text) {
        s.append(String.format("| %s | %d | %.2f | %s %s |%n", what, batch, value, text, value <= limit ? "✓" : "✗"));
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
