package io.ensemblescope.core.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * One weight layer (linear or 2-D convolution) of all k members in plain arrays: member i computes
 * Σ_j ((x ∘ r_ij) W_i) ∘ s_ij + b_i, where W_i is the member's own weight (single model, Deep-Ensemble replica) or
 * the one shared W (BatchEnsemble, which alone has r and s). A BatchNorm that follows is folded in (into s for
 * BatchEnsemble, into W_i otherwise, and into b_i), so serving never runs it.
 */
final class MemberLayer {
    private static final Shape ONE = new Shape(1);
    private static final Shape ONE2 = new Shape(1, 1);

    final int members;
    final int rank;
    final int out;
    final int in;
    final long[] kernel;
    final Shape stride;
    final Shape padding;
    private final boolean sharedWeight;
    private final float[] weight;
    private final float[] r;
    private final float[] s;
    private final float[] bias;
    boolean batchNormFolded;

    /**
     * @param kernel null for a linear layer, else [kh, kw]
     * @param weight k member weights one after another, or one shared weight when {@code r} is given
     * @param r k × rank × in fast weights (null: no fast weights), member 0 already unperturbed if asked
     * @param s k × rank × out fast weights (null with r)
     * @param bias k × out
     */
    MemberLayer(int members, int rank, int out, int in, long[] kernel, Shape stride, Shape padding, float[] weight,
                float[] r, float[] s, float[] bias) {
        this.members = members;
        this.rank = rank;
        this.out = out;
        this.in = in;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.sharedWeight = r != null;
        this.weight = weight;
        this.r = r;
        this.s = s;
        this.bias = bias;
    }

    boolean conv() {
        return kernel != null;
    }

    /** Elements of one member's weight: out · in · kh · kw. */
    int weightSize() {
        return out * in * window();
    }

    private int window() {
        return kernel == null ? 1 : (int) (kernel[0] * kernel[1]);
    }

    boolean factorable() {
        return sharedWeight;
    }

    /**
     * Folds y ↦ (y − μ) γ / √(σ² + ε) + β into the layer; {@code gamma}… hold one row of {@code out} per member, or
     * one row shared by all.
     */
    void foldBatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        int rows = gamma.length / out;
        for (int i = 0; i < members; i++) {
            int m = rows == 1 ? 0 : i;
            for (int o = 0; o < out; o++) {
                float scale = (float) (gamma[m * out + o] / Math.sqrt(var[m * out + o] + (double) eps));
                if (sharedWeight) {
                    for (int j = 0; j < rank; j++) {
                        s[(i * rank + j) * out + o] *= scale;
                    }
                } else {
                    int per = in * window();
                    int from = (i * out + o) * per;
                    for (int q = from; q < from + per; q++) {
                        weight[q] *= scale;
                    }
                }
                bias[i * out + o] = (bias[i * out + o] - mean[m * out + o]) * scale + beta[m * out + o];
            }
        }
        batchNormFolded = true;
    }

    /** Member i's effective weight W_i ∘ Σ_j s_ij r_ijᵀ, [out, in, (kh, kw)] flattened. */
    float[] memberWeight(int i) {
        int size = weightSize();
        float[] w = new float[size];
        if (!sharedWeight) {
            System.arraycopy(weight, i * size, w, 0, size);
            return w;
        }
        int window = window();
        for (int o = 0; o < out; o++) {
            for (int n = 0; n < in; n++) {
                double m = 0;
                for (int j = 0; j < rank; j++) {
                    m += s[(i * rank + j) * out + o] * r[(i * rank + j) * in + n];
                }
                int at = (o * in + n) * window;
                for (int q = 0; q < window; q++) {
                    w[at + q] = (float) (weight[at + q] * m);
                }
            }
        }
        return w;
    }

    /** Bytes the serving tensors of {@code f} hold (4 per float) for input stacked {@code groups} times. */
    long bytes(Fusion f, int groups) {
        long w = weightSize();
        long k = members;
        return 4 * switch (f) {
            case DENSE -> (groups == 1 ? k * w : k * k * w) + k * out;
            case GROUPED -> k * w + k * out;
            case FACTORED -> w + k * rank * (in + out) + k * out;
        };
    }

    /** The op of fusion {@code f} for input [B, groups·in, …] (groups = 1: every member sees the same input). */
    FusedOp op(Fusion f, int groups, NDManager manager) {
        return switch (f) {
            case DENSE -> dense(groups, manager);
            case GROUPED -> grouped(manager);
            case FACTORED -> factored(groups, manager);
        };
    }

    private NDArray stackedWeight(NDManager manager) {
        int size = weightSize();
        float[] all = new float[members * size];
        for (int i = 0; i < members; i++) {
            System.arraycopy(memberWeight(i), 0, all, i * size, size);
        }
        return manager.create(all, kernelShape((long) members * out, in));
    }

    private Shape kernelShape(long rows, long cols) {
        return kernel == null ? new Shape(rows, cols) : new Shape(rows, cols, kernel[0], kernel[1]);
    }

    private FusedOp dense(int groups, NDManager manager) {
        NDArray b = manager.create(bias);
        if (groups == 1) {
            NDArray w = stackedWeight(manager);
            return conv() ? x -> Conv2d.conv2d(x, w, b, stride, padding).singletonOrThrow()
                    : x -> Linear.linear(x, w, b).singletonOrThrow();
        }
        if (conv()) {
            throw new IllegalArgumentException("a block-diagonal convolution is the grouped one");
        }
        int size = weightSize();
        int cols = members * in;
        float[] blocks = new float[members * out * cols];
        for (int i = 0; i < members; i++) {
            float[] wi = memberWeight(i);
            for (int o = 0; o < out; o++) {
                System.arraycopy(wi, o * in, blocks, (i * out + o) * cols + i * in, in);
            }
        }
        NDArray w = manager.create(blocks, new Shape((long) members * out, cols));
        assert size == out * in;
        return x -> Linear.linear(x, w, b).singletonOrThrow();
    }

    private FusedOp grouped(NDManager manager) {
        NDArray b = manager.create(bias);
        NDArray w = stackedWeight(manager);
        if (conv()) {
            return x -> Conv2d.conv2d(x, w, b, stride, padding, ONE2, members).singletonOrThrow();
        }
        NDArray w1 = w.reshape(w.getShape().get(0), in, 1);
        long width = (long) members * out;
        return x -> Conv1d.conv1d(x.reshape(x.getShape().get(0), x.getShape().get(1), 1), w1, b, ONE, new Shape(0),
                ONE, members).singletonOrThrow().reshape(x.getShape().get(0), width);
    }

    /** (x ∘ r) → the shared op on k·rank·B rows → ∘ s, Σ over rank, + b. */
    private FusedOp factored(int groups, NDManager manager) {
        if (!sharedWeight) {
            throw new IllegalArgumentException("only BatchEnsemble layers have a factored form");
        }
        long[] trailing = kernel == null ? new long[0] : new long[] {1, 1};
        NDArray rr = manager.create(r, shape(new long[] {members, rank, in}, trailing));
        NDArray ss = manager.create(s, shape(new long[] {members, rank, out}, trailing));
        NDArray bb = manager.create(bias, shape(new long[] {members, out}, trailing));
        NDArray w = manager.create(weight, kernelShape(out, in));
        return x -> {
            Shape xs = x.getShape();
            long batch = xs.get(0);
            long[] spatial = xs.slice(2).getShape();
            NDArray scaled = x.reshape(shape(new long[] {batch, groups == 1 ? 1 : members, 1, in}, spatial))
                    .mul(rr);
            NDArray rows = scaled.reshape(shape(new long[] {batch * members * rank, in}, spatial));
            NDArray y = conv() ? Conv2d.conv2d(rows, w, null, stride, padding).singletonOrThrow()
                    : Linear.linear(rows, w).singletonOrThrow();
            long[] ySpatial = y.getShape().slice(2).getShape();
            NDArray terms = y.reshape(shape(new long[] {batch, members, rank, out}, ySpatial)).mul(ss);
            NDArray summed = rank == 1 ? terms.reshape(shape(new long[] {batch, members, out}, ySpatial))
                    : terms.sum(new int[] {2});
            return summed.add(bb).reshape(shape(new long[] {batch, (long) members * out}, ySpatial));
        };
    }

    private static Shape shape(long[] head, long[] tail) {
        long[] all = new long[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return new Shape(all);
    }
}
