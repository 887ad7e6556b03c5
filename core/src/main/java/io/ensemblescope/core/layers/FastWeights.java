package io.ensemblescope.core.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * The fast weights of one BatchEnsemble layer: r ∈ ℝ^{k×rank×in}, s ∈ ℝ^{k×rank×out} and the per-member bias
 * b ∈ ℝ^{k×out}. Member i's weight is W ∘ Σ_j s_ij r_ijᵀ; it is never materialised.
 */
final class FastWeights {
    static final String R = "r";
    static final String S = "s";
    static final String BIAS = "bias";

    final BatchEnsembleOptions options;
    final Parameter r;
    final Parameter s;
    final Parameter bias;

    FastWeights(BatchEnsembleOptions options, Initializer fastInit) {
        this.options = options;
        this.r = Parameter.builder().setName(R).setType(Parameter.Type.OTHER).optInitializer(fastInit).build();
        this.s = Parameter.builder().setName(S).setType(Parameter.Type.OTHER).optInitializer(perTerm(fastInit))
                .build();
        this.bias = Parameter.builder().setName(BIAS).setType(Parameter.Type.BIAS).build();
    }

    /**
     * s drawn as usual and divided by the rank, so that each member's Σ_j s_ij r_ijᵀ starts around 1 at every rank —
     * what member 0 computes when unperturbed (s_0 = 1/rank) — instead of around rank; otherwise every layer's output
     * would start rank times larger, and a rank ablation would measure that scale rather than the rank.
     */
    private Initializer perTerm(Initializer init) {
        int rank = options.rank();
        return rank == 1 ? init : (manager, shape, type) -> init.initialize(manager, shape, type).divi(rank);
    }

    void setShapes(long in, long out) {
        r.setShape(new Shape(options.members(), options.rank(), in));
        s.setShape(new Shape(options.members(), options.rank(), out));
        bias.setShape(new Shape(options.members(), out));
    }

    /**
     * The fast weights of one forward, shaped to broadcast against member activations with {@code spatialDims}
     * trailing spatial axes (0 for a linear layer, 2 for a 2-D convolution); every array it makes lives in
     * {@code local}.
     */
    MemberScaling bind(ParameterStore ps, Device device, boolean training, NDManager local, int spatialDims) {
        return new MemberScaling(options, ps.getValue(r, device, training), ps.getValue(s, device, training),
                ps.getValue(bias, device, training), local, spatialDims);
    }
}
