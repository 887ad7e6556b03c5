package io.ensemblescope.cli;

import ai.djl.Device;
import io.ensemblescope.cli.bench.ServingRatios;
import io.ensemblescope.core.engine.Engines;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serving latency per method against the raw DJL forward, in-process and over loopback gRPC, BatchEnsemble against
 * its FLOP-equal single model and against the Deep Ensemble, with and without fusion: one Markdown table of the
 * ratios docs/BENCHMARKS.md records, measured side by side in one run.
 */
@Command(name = "inference", description = "Measure serving latency ratios per method (docs/BENCHMARKS.md).")
final class InferenceBenchCommand implements Callable<Integer> {
    @Option(names = "--arch", split = ",", description = "Architectures: mnist-mlp, resnet20 (default both).")
    List<String> architectures = List.of("mnist-mlp", "resnet20");

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batches", split = ",", description = "Batch sizes B, 1..1024 (default 1,8,32).")
    List<Integer> batches = List.of(1, 8, 32);

    @Option(names = "--grpc-batches", split = ",", description = "Batch sizes also measured over gRPC, among --batches (default 1,32).")
    List<Integer> grpcBatches = List.of(1, 32);

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, 1..20 (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--cell-ms", defaultValue = "400",
            description = "Milliseconds per configuration and round, 1..10000 (default ${DEFAULT-VALUE}).")
    int cellMillis;

    @Option(names = "--fused-layer-budget-kib", defaultValue = "16384",
            description = "Fusion's memory budget per layer, KiB (default ${DEFAULT-VALUE}, the server's default).")
    int layerBudgetKib;

    @Override
    public Integer call() throws Exception {
        architectures.forEach(a -> Values.oneOf("--arch", a, List.of("mnist-mlp", "resnet20")));
        Values.device("--device", device);
        batches.forEach(b -> Values.range("--batches", b, 1, 1024));
        grpcBatches.forEach(b -> Values.range("--grpc-batches", b, 1, 1024));
        if (!batches.containsAll(grpcBatches)) {
            throw new IllegalArgumentException("--grpc-batches must be among --batches " + batches + ", got "
                    + grpcBatches);
        }
        Values.range("--rounds", rounds, 1, 20);
        Values.range("--cell-ms", cellMillis, 1, 10_000);
        Values.range("--fused-layer-budget-kib", layerBudgetKib, 0, 1 << 30);
        Device d = Engines.device(device); // gpu without a GPU the engine sees: a one-line error naming the count
        System.out.println(new ServingRatios(d, batches, grpcBatches, rounds, cellMillis,
                layerBudgetKib * 1024L).run(architectures));
        return 0;
    }
}
