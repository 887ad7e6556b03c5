package io.ensemblescope.core.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BatchEnsemble fully connected layer (Wen, Tran and Ba, 2020). One shared weight W ∈ ℝ^{out×in} (no shared bias),
 * fast weights r and s and a per-member bias. Input is member-major [k·B, in]; member i computes
 * ((x ∘ r_i) Wᵀ) ∘ s_i + b_i, all members in one batched matmul.
 */
public final class BatchEnsembleLinear extends AbstractBlock {
    private static final byte VERSION = 1;

    private final long units;
    private final FastWeights fast;
    private final Parameter weight;

    private BatchEnsembleLinear(Builder b) {
        super(VERSION);
        this.units = b.units;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.fast = new FastWeights(b.options, b.fastInit);
        addParameter(fast.r);
        addParameter(fast.s);
        addParameter(fast.bias);
    }

    public static Builder builder() {
        return new Builder();
    }

    public BatchEnsembleOptions options() {
        return fast.options;
    }

    FastWeights fastWeights() {
        return fast;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(inputShapes[0].dimension() - 1);
        if (fast.options.rank() > Math.min(in, units)) {
            throw new IllegalArgumentException("batch_ensemble.rank " + fast.options.rank()
                    + " exceeds min(in, out) = " + Math.min(in, units));
        }
        weight.setShape(new Shape(units, in));
        fast.setShapes(in, units);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int k = fast.options.members();
        long in = x.getShape().get(1);
        long batch = x.getShape().get(0) / k;
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        MemberScaling m = fast.bind(ps, x.getDevice(), training, x.getManager(), 0);
        NDArray xr = m.scaleInput(x.reshape(m.inputShape(batch, in)));             // [k, (rank), B, in]
        NDArray y = m.scaleOutputAndSum(Linear.linear(xr, w).singletonOrThrow()); // [k, B, out]
        return new NDList(m.addBias(y).reshape(k * batch, units));
    }

    public static final class Builder extends BatchEnsembleBuilder<Builder> {
        private long units;

        public Builder setUnits(long units) {
            this.units = units;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public BatchEnsembleLinear build() {
            requireComplete("units", units);
            return new BatchEnsembleLinear(this);
        }
    }
}
