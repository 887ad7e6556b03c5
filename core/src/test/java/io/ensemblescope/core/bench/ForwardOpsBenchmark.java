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
import java.util.Arrays;

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

    private ForwardOpsBenchmark() {}

    public static void main(String[] args) {
        Engines.offline();
        String arch = args.length > 0 ? args[0] : "mnist-mlp";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int classes = 10;
        System.out.printf("%s, B = %d, k = %d, %d timed forwards each (median µs)%n", arch, batch, K, iterations);
        System.out.println("| model | ops per forward | median µs |");
        System.out.println("|---|---|---|");
        run("single(B)", new NetworkSpec(arch, Method.SINGLE, 1, 0f, 1, null), classes, batch, iterations);
        run("single(4B)", new NetworkSpec(arch, Method.SINGLE, 1, 0f, 1, null), classes, K * batch, iterations);
        run("deep ensemble k=4 (sequential)", new NetworkSpec(arch, Method.DEEP_ENSEMBLE, K, 0f, 1, null),
                classes, batch, iterations);
        for (int rank : new int[] {1, 2}) {
            for (boolean member0 : new boolean[] {false, true}) {
                BatchEnsembleOptions o = new BatchEnsembleOptions(K, rank, FastWeightInit.NORMAL, 0.5f, member0);
                run("batch ensemble k=4 rank " + rank + (member0 ? " member-0 fixed" : ""),
                        new NetworkSpec(arch, Method.BATCH_ENSEMBLE, K, 0f, 1, o), classes, batch, iterations);
            }
        }
    }

    private static void run(String label, NetworkSpec spec, int classes, int batch, int iterations) {
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, classes, Device.cpu(), 11L)) {
            long[] dims = new long[net.architecture().inputShape().length + 1];
            dims[0] = batch;
            System.arraycopy(net.architecture().inputShape(), 0, dims, 1, dims.length - 1);
            Shape shape = new Shape(dims);
            int modelArrays = net.manager().getManagedArrays().size();
            int ops = 0;
            long[] nanos = new long[iterations];
            for (int i = -iterations / 5; i < iterations; i++) { // a fifth more as warm-up
                try (NDManager local = net.manager().newSubManager()) {
                    NDArray x = local.randomNormal(shape);
                    int before = local.getManagedArrays().size();
                    long t0 = System.nanoTime();
                    net.memberLogits(x, 0).toFloatArray();
                    long t = System.nanoTime() - t0;
                    if (i >= 0) {
                        nanos[i] = t;
                    }
                    ops = local.getManagedArrays().size() - before;
                }
            }
            if (net.manager().getManagedArrays().size() != modelArrays) {
                throw new IllegalStateException(label + ": forwards left arrays on the model's manager");
            }
            Arrays.sort(nanos);
            System.out.printf("| %s | %d | %.0f |%n", label, ops, nanos[iterations / 2] / 1e3);
        }
    }
}
