package io.ensemblescope.core.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import java.util.List;

/**
 * A serving-time form of a loaded network: every member in one forward over member-stacked activations
 * [B, k·C, …], each weight layer one op (BatchEnsemble's fast weights folded into per-member weights, a Deep
 * Ensemble's replicas side by side, BatchNorm folded into the convolution before it) whenever the layer's tensors fit
 * the memory budget ({@link Fusion}). The fused tensors live in the network's manager and close with it; the
 * network's own parameters stay (training, weight diversity and MC Dropout use them).
 *
 * <p>Built for single models, BatchEnsemble and Deep Ensembles; MC Dropout stays stochastic and is not fused.
 */
public final class FusedNetwork {
    /** Default largest serving tensors per layer: 16 MiB (every layer of ResNet-20 and the MLP fits at k = 4). */
    public static final long DEFAULT_LAYER_BUDGET = 16L << 20;

    private final int members;
    private final FusedOp forward;
    private final List<FusedLayer> layers;

    private FusedNetwork(int members, FusedOp forward, List<FusedLayer> layers) {
        this.members = members;
        this.forward = forward;
        this.layers = List.copyOf(layers);
    }

    /**
     * Compiles {@code net} with at most {@code layerBudgetBytes} of fused tensors per layer.
     *
     * @throws IllegalArgumentException when the network holds a block fusion does not know (serve it unfused)
     */
    public static FusedNetwork compile(EnsembleNetwork net, long layerBudgetBytes) {
        Method method = net.spec().method();
        if (method == Method.MC_DROPOUT) {
            throw new IllegalArgumentException("MC Dropout is not fused");
        }
        int k = net.spec().members();
        NDManager manager = net.manager();
        FusedCompiler compiler = new FusedCompiler(k, layerBudgetBytes, manager);
        FusedOp op = compiler.network(net.replicas());
        return new FusedNetwork(k, op, compiler.layers());
    }

    /** Member-stacked logits [B, k·C] for input [B, …]: member i's logits are columns [i·C, (i+1)·C). */
    public NDArray stackedLogits(NDArray input) {
        return forward.apply(input);
    }

    public int members() {
        return members;
    }

    /** Each weight layer's fusion and memory, in network order. */
    public List<FusedLayer> layers() {
        return layers;
    }

    /** Bytes of all fused tensors. */
    public long bytes() {
        return layers.stream().mapToLong(FusedLayer::bytes).sum();
    }
}
