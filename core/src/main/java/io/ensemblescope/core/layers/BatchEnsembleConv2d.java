package io.ensemblescope.core.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BatchEnsemble 2-D convolution. One shared kernel W ∈ ℝ^{out×in×kh×kw} (no shared bias); member i scales input
 * channels by r_i and output channels by s_i and adds b_i, which equals convolving with W ∘ (s_i r_iᵀ) broadcast over
 * the kernel window. Input is member-major [k·B, in, H, W]; one convolution serves all members (rank·k·B images).
 */
public final class BatchEnsembleConv2d extends AbstractBlock {
    private static final byte VERSION = 1;

    private final long filters;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final FastWeights fast;
    private final Parameter weight;

    private BatchEnsembleConv2d(Builder b) {
        super(VERSION);
        this.filters = b.filters;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding;
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

    public Shape kernelShape() {
        return kernel;
    }

    public Shape stride() {
        return stride;
    }

    public Shape padding() {
        return padding;
    }

    FastWeights fastWeights() {
        return fast;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(1);
        if (fast.options.rank() > Math.min(in, filters)) {
            throw new IllegalArgumentException("batch_ensemble.rank " + fast.options.rank()
                    + " exceeds min(in, out) = " + Math.min(in, filters));
        }
        weight.setShape(new Shape(filters, in, kernel.get(0), kernel.get(1)));
        fast.setShapes(in, filters);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape x = inputs[0];
        long h = (x.get(2) + 2 * padding.get(0) - kernel.get(0)) / stride.get(0) + 1;
        long w = (x.get(3) + 2 * padding.get(1) - kernel.get(1)) / stride.get(1) + 1;
        return new Shape[] {new Shape(x.get(0), filters, h, w)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int k = fast.options.members();
        Shape shape = x.getShape();
        long batch = shape.get(0) / k;
        long in = shape.get(1);
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        MemberScaling m = fast.bind(ps, x.getDevice(), training, x.getManager(), 2);
        NDArray xr = m.scaleInput(x.reshape(m.inputShape(batch, in, shape.get(2), shape.get(3))))
                .reshape(m.rows(batch), in, shape.get(2), shape.get(3));          // k·rank·B images
        NDArray y = Conv2d.conv2d(xr, w, null, stride, padding).singletonOrThrow();
        Shape ys = y.getShape();
        NDArray scaled = m.scaleOutputAndSum(y.reshape(m.rankedShape(batch, filters, ys.get(2), ys.get(3))));
        return new NDList(m.addBias(scaled).reshape(k * batch, filters, ys.get(2), ys.get(3)));
    }

    public static final class Builder extends BatchEnsembleBuilder<Builder> {
        private long filters;
        private Shape kernel = new Shape(3, 3);
        private Shape stride = new Shape(1, 1);
        private Shape padding = new Shape(0, 0);

        public Builder setFilters(long filters) {
            this.filters = filters;
            return this;
        }

        public Builder setKernelShape(Shape kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder optStride(Shape stride) {
            this.stride = stride;
            return this;
        }

        public Builder optPadding(Shape padding) {
            this.padding = padding;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public BatchEnsembleConv2d build() {
            requireComplete("filters", filters);
            return new BatchEnsembleConv2d(this);
        }
    }
}
