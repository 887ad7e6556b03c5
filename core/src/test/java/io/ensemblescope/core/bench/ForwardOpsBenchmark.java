package io.ensemblescope.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.layers.FastWeightInit;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Op count and latency of one inference forward at small batch, BatchEnsemble against its FLOP-equal single model
 * and a Deep Ensemble run replica after replica (random weights: only the op sequence and timing matter). The op
 * count is the number of arrays a forward leaves in its own manager: every PyTorch op returns one, so it counts
 * the JNI round trips that dominate a tiny forward.
 *
 * <p>Usage: {@code ForwardOpsBenchmark [architecture [B [iterations]]]}, default mnist-mlp 1 2000.
 */
public final class ForwardOpsBenchmark {
    private static final int K = 4;
    private static final int ROUNDS = 3;

    private ForwardOpsBenchmark() {}

    public static void main(String[] args) {
        Engines.offline();
        String arch = args.length > 0 ? args[0] : "mnist-mlp";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("single(B)", new Case(new NetworkSpec(arch, Method.SINGLE, 1, 0f, 1, null), batch));
        cases.put("single(4B)", new Case(new NetworkSpec(arch, Method.SINGLE, 1, 0f, 1, null), K * batch));
        cases.put("deep ensemble k=4, replicas in turn",
                new Case(new NetworkSpec(arch, Method.DEEP_ENSEMBLE, K, 0f, 1, null), batch));
        for (int rank : new int[] {1, 2}) {
            for (boolean member0 : new boolean[] {false, true}) {
                BatchEnsembleOptions o = new BatchEnsembleOptions(K, rank, FastWeightInit.NORMAL, 0.5f, member0);
                cases.put("batch ensemble k=4, rank " + rank + (member0 ? ", member 0 fixed" : ""),
                        new Case(new NetworkSpec(arch, Method.BATCH_ENSEMBLE, K, 0f, 1, o), batch));
            }
        }
        // Rounds interleave the cases so load from other processes drifts over all of them alike.
        for (int round = 0; round < ROUNDS; round++) {
            for (Case c : cases.values()) {
                c.measure(iterations / ROUNDS);
            }
        }
        System.out.printf("%s, B = %d, k = %d, %d timed forwards each, median%n%n", arch, batch, K, iterations);
        System.out.println("| model | ops per forward | median µs |");
        System.out.println("|---|---|---|");
        cases.forEach((label, c) -> System.out.printf("| %s | %d | %.0f |%n", label, c.ops, c.medianMicros()));
        cases.values().forEach(Case::close);
    }

    /** One network, its input shape, and the forwards measured so far. */
    private static final class Case {
        final EnsembleNetwork net;
        final Shape shape;
        final int modelArrays;
        final List<Long> nanos = new ArrayList<>();
        int ops;

        Case(NetworkSpec spec, int batch) {
            net = EnsembleNetwork.create(spec, 10, Device.cpu(), 11L);
            long[] dims = new long[net.architecture().inputShape().length + 1];
            dims[0] = batch;
            System.arraycopy(net.architecture().inputShape(), 0, dims, 1, dims.length - 1);
            shape = new Shape(dims);
            modelArrays = net.manager().getManagedArrays().size();
        }

        void measure(int iterations) {
            for (int i = -Math.max(10, iterations / 5); i < iterations; i++) { // warm-up first
                try (NDManager local = net.manager().newSubManager()) {
                    NDArray x = local.randomNormal(shape);
                    int before = local.getManagedArrays().size();
                    long t0 = System.nanoTime();
                    net.memberLogits(x, 0).toFloatArray();
                    long t = System.nanoTime() - t0;
                    if (i >= 0) {
                        nanos.add(t);
                    }
                    ops = local.getManagedArrays().size() - before;
                }
            }
            if (net.manager().getManagedArrays().size() != modelArrays) {
                throw new IllegalStateException(net.spec() + ": forwards left arrays on the model's manager");
            }
        }

        double medianMicros() {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2) / 1e3;
        }

        void close() {
            net.close();
        }
    }
}
