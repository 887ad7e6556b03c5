package io.ensemblescope.core.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One forward's view of a layer's fast weights, applied to member-major activations of shape
 * [k, (rank), B, C, spatial…]. The rank axis exists only for rank > 1: at rank 1 (the default) there is nothing to
 * sum, so the forward skips the axis, its reduction and, for linear layers, the fast-weight reshapes (r and s are
 * already [k, 1, C]). Every op here is a JNI round trip, which is what a small-batch forward costs, so the member-0
 * override is two {@code where}s on activations with one k-element mask instead of arithmetic on the fast weights.
 */
final class MemberScaling {
    private final BatchEnsembleOptions options;
    private final NDManager local;
    private final int spatialDims;
    private final NDArray r;
    private final NDArray s;
    private final NDArray bias;
    private NDArray perturbed;

    MemberScaling(BatchEnsembleOptions options, NDArray r, NDArray s, NDArray bias, NDManager local,
                  int spatialDims) {
        this.options = options;
        this.local = local;
        this.spatialDims = spatialDims;
        long[] rankAxis = hasRankAxis() ? new long[] {options.rank()} : new long[0];
        this.r = view(r, broadcastShape(rankAxis, r.getShape().get(2)));
        this.s = view(s, broadcastShape(rankAxis, s.getShape().get(2)));
        this.bias = view(bias, broadcastShape(new long[0], bias.getShape().get(1)));
    }

    boolean hasRankAxis() {
        return options.rank() > 1;
    }

    /** [k, (1), B, dims…]: the layer's input seen per member, ready to broadcast over the rank axis. */
    Shape inputShape(long batch, long... dims) {
        return memberShape(hasRankAxis() ? 1 : 0, batch, dims);
    }

    /** [k, (rank), B, dims…]: the shared layer's output per member and rank-one term. */
    Shape rankedShape(long batch, long... dims) {
        return memberShape(hasRankAxis() ? options.rank() : 0, batch, dims);
    }

    /** Rows of the shared layer's input: k · rank · B. */
    long rows(long batch) {
        return (long) options.members() * options.rank() * batch;
    }

    /** x ∘ r_i; member 0 keeps x when unperturbed (r_0 = 1). */
    NDArray scaleInput(NDArray x) {
        NDArray scaled = x.mul(r);
        return options.member0Unperturbed() ? NDArrays.where(perturbed(scaled), scaled, x) : scaled;
    }

    /**
     * Σ_j y_j ∘ s_ij, result [k, B, C, spatial…]; member 0 takes the mean of its (identical) rank terms when
     * unperturbed (s_0 = 1/rank).
     */
    NDArray scaleOutputAndSum(NDArray y) {
        NDArray scaled = y.mul(s);
        if (options.member0Unperturbed()) {
            scaled = NDArrays.where(perturbed(scaled), scaled, hasRankAxis() ? y.div(options.rank()) : y);
        }
        return hasRankAxis() ? scaled.sum(new int[] {1}) : scaled;
    }

    /** y + b_i for y [k, B, C, spatial…]. */
    NDArray addBias(NDArray y) {
        return y.add(bias);
    }

    private Shape memberShape(long rank, long batch, long... dims) {
        long[] shape = new long[(rank > 0 ? 3 : 2) + dims.length];
        int i = 0;
        shape[i++] = options.members();
        if (rank > 0) {
            shape[i++] = rank;
        }
        shape[i++] = batch;
        System.arraycopy(dims, 0, shape, i, dims.length);
        return new Shape(shape);
    }

    /** [k, rankAxis…, 1, c, 1 per spatial axis]. */
    private Shape broadcastShape(long[] rankAxis, long c) {
        long[] shape = new long[3 + rankAxis.length + spatialDims];
        java.util.Arrays.fill(shape, 1);
        shape[0] = options.members();
        System.arraycopy(rankAxis, 0, shape, 1, rankAxis.length);
        shape[2 + rankAxis.length] = c;
        return new Shape(shape);
    }

    /**
     * The parameter in {@code shape}. A reshape of the parameter would attach its result to the model's long-lived
     * manager (PyTorch ops attach their result to their first operand's manager: one leaked array per forward in a
     * server), so the view is moved to the forward's manager; it shares the parameter's storage and gradient path.
     * When the parameter already has the shape it is returned as is: it is only ever the second operand of an op,
     * whose result therefore lands in the forward's manager.
     */
    private NDArray view(NDArray parameter, Shape shape) {
        if (parameter.getShape().equals(shape)) {
            return parameter;
        }
        NDArray v = parameter.reshape(shape);
        v.attach(local);
        return v;
    }

    /**
     * A mask false for member 0, expanded (a view) to {@code like}'s shape: DJL's {@code where} does not broadcast
     * the condition. The k-element mask is made once per forward.
     */
    private NDArray perturbed(NDArray like) {
        if (perturbed == null) {
            boolean[] members = new boolean[options.members()];
            java.util.Arrays.fill(members, 1, members.length, true);
            long[] shape = new long[like.getShape().dimension()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = members.length;
            perturbed = local.create(members, new Shape(shape)).toDevice(like.getDevice(), false);
        }
        return perturbed.broadcast(like.getShape());
    }
}
