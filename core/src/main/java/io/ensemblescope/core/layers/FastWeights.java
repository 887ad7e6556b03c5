package io.ensemblescope.core.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
        this.s = Parameter.builder().setName(S).setType(Parameter.Type.OTHER).optInitializer(fastInit).build();
        this.bias = Parameter.builder().setName(BIAS).setType(Parameter.Type.BIAS).build();
    }

    void setShapes(long in, long out) {
        r.setShape(new Shape(options.members(), options.rank(), in));
        s.setShape(new Shape(options.members(), options.rank(), out));
        bias.setShape(new Shape(options.members(), out));
    }

    /** r with member 0 forced to 1 when it is unperturbed, shape [k, rank, in]. */
    NDArray r(ParameterStore ps, Device device, boolean training) {
        return member0Override(ps.getValue(r, device, training), 1f);
    }

    /** s with member 0 forced to 1/rank when it is unperturbed (so Σ_j s_0j r_0jᵀ = 1), shape [k, rank, out]. */
    NDArray s(ParameterStore ps, Device device, boolean training) {
        return member0Override(ps.getValue(s, device, training), 1f / options.rank());
    }

    NDArray bias(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(bias, device, training);
    }

    /**
     * Replaces member 0's slice by a constant through a mask, so gradients still flow to the other members and
     * member 0's fast weights receive none.
     */
    private NDArray member0Override(NDArray value, float constant) {
        if (!options.member0Unperturbed()) {
            return value;
        }
        Shape shape = value.getShape();
        NDManager m = value.getManager();
        NDArray keep = m.ones(new Shape(shape.get(0), 1, 1), DataType.FLOAT32);
        keep.set(new ai.djl.ndarray.index.NDIndex("0"), 0f);
        NDArray fixed = keep.neg().add(1f).mul(constant);
        return value.mul(keep).add(fixed);
    }
}
