package io.ensemblescope.core.fused;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.ensemblescope.core.layers.BatchEnsembleConv2d;
import io.ensemblescope.core.layers.BatchEnsembleLinear;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import java.lang.reflect.Field;
import java.util.List;

/**
 * Reads the weight layers of the networks we build (DJL Linear and Conv2d, BatchEnsembleLinear and
 * BatchEnsembleConv2d, BatchNorm) into plain arrays for {@link MemberLayer}; a layer it does not know, or one
 * configured beyond what fusion handles (grouped or dilated convolution, BatchNorm on another axis), is an
 * IllegalArgumentException, and the caller serves the network unfused.
 */
final class LayerReader {
    private LayerReader() {}

    static boolean isWeightLayer(Block b) {
        return b instanceof Linear || b instanceof Conv2d || b instanceof BatchEnsembleLinear
                || b instanceof BatchEnsembleConv2d;
    }

    /** The layer at one position of k lockstep replicas (k blocks), or of one BatchEnsemble block of k members. */
    static MemberLayer read(List<Block> replicas, int members) {
        Block first = replicas.get(0);
        if (first instanceof BatchEnsembleLinear be) {
            return batchEnsemble(be, be.options(), null, null, null);
        }
        if (first instanceof BatchEnsembleConv2d be) {
            return batchEnsemble(be, be.options(), kernel(be.kernelShape()), be.stride(), be.padding());
        }
        int k = replicas.size();
        if (k != members) {
            throw new IllegalArgumentException("a plain layer of a " + members + "-member network in " + k
                    + " replicas");
        }
        float[] w0 = values(first, "weight");
        int size = w0.length;
        float[] weights = new float[k * size];
        float[] bias = null;
        long[] kernel = null;
        Shape stride = null;
        Shape padding = null;
        int out;
        if (first instanceof Conv2d c) {
            if (c.getGroups() != 1 || c.getDilation().getShape()[0] != 1 || c.getDilation().getShape()[1] != 1) {
                throw new IllegalArgumentException("grouped or dilated convolutions are not fused");
            }
            kernel = kernel(c.getKernelShape());
            stride = c.getStride();
            padding = c.getPadding();
            out = c.getFilters();
        } else if (first instanceof Linear) {
            out = (int) first.getParameters().get("weight").getArray().getShape().get(0);
        } else {
            throw new IllegalArgumentException("not a weight layer: " + first.getClass().getSimpleName());
        }
        boolean hasBias = first.getParameters().contains("bias")
                && first.getParameters().get("bias").getArray() != null && (!(first instanceof Conv2d c2)
                || c2.isIncludeBias());
        if (hasBias) {
            bias = new float[k * out];
        }
        for (int i = 0; i < k; i++) {
            System.arraycopy(i == 0 ? w0 : values(replicas.get(i), "weight"), 0, weights, i * size, size);
            if (hasBias) {
                System.arraycopy(values(replicas.get(i), "bias"), 0, bias, i * out, out);
            }
        }
        int window = kernel == null ? 1 : (int) (kernel[0] * kernel[1]);
        return new MemberLayer(k, 1, out, size / out / window, kernel, stride, padding, weights, null, null,
                bias == null ? new float[k * out] : bias);
    }

    private static MemberLayer batchEnsemble(Block be, BatchEnsembleOptions o, long[] kernel, Shape stride,
                                             Shape padding) {
        float[] w = values(be, "weight");
        float[] r = values(be, "r");
        float[] s = values(be, "s");
        float[] bias = values(be, "bias");
        int k = o.members();
        int rank = o.rank();
        int in = r.length / (k * rank);
        int out = s.length / (k * rank);
        if (o.member0Unperturbed()) {
            // The forward keeps member 0 on the plain W: r_0 = 1, s_0 = 1/rank (their stored values are unused).
            java.util.Arrays.fill(r, 0, rank * in, 1f);
            java.util.Arrays.fill(s, 0, rank * out, 1f / rank);
        }
        return new MemberLayer(k, rank, out, in, kernel, stride, padding, w, r, s, bias);
    }

    /** Folds the BatchNorm of each replica (or the one shared) into {@code layer}. */
    static void foldBatchNorm(MemberLayer layer, List<Block> norms) {
        BatchNorm first = (BatchNorm) norms.get(0);
        if (intField(first, "axis") != 1) {
            throw new IllegalArgumentException("BatchNorm over axis " + intField(first, "axis") + " is not folded");
        }
        float eps = floatField(first, "epsilon");
        int rows = norms.size();
        int out = layer.out;
        float[] gamma = new float[rows * out];
        float[] beta = new float[rows * out];
        float[] mean = new float[rows * out];
        float[] var = new float[rows * out];
        for (int i = 0; i < rows; i++) {
            Block n = norms.get(i);
            boolean scale = boolField(n, "scale");
            boolean center = boolField(n, "center");
            System.arraycopy(scale ? values(n, "gamma") : ones(out), 0, gamma, i * out, out);
            System.arraycopy(center ? values(n, "beta") : new float[out], 0, beta, i * out, out);
            System.arraycopy(values(n, "runningMean"), 0, mean, i * out, out);
            System.arraycopy(values(n, "runningVar"), 0, var, i * out, out);
        }
        layer.foldBatchNorm(gamma, beta, mean, var, eps);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private static long[] kernel(Shape s) {
        return new long[] {s.get(0), s.get(1)};
    }

    private static float[] values(Block b, String name) {
        return b.getParameters().get(name).getArray().toFloatArray();
    }

    // BatchNorm keeps its configuration private; the fields are read once at load, and a DJL that renames them
    // makes fusion fail loudly (the model is then served unfused), never silently wrong.
    private static Object field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read BatchNorm." + name + ": " + e, e);
        }
    }

    private static int intField(Object o, String name) {
        return (Integer) field(o, name);
    }

    private static float floatField(Object o, String name) {
        return (Float) field(o, name);
    }

    private static boolean boolField(Object o, String name) {
        return (Boolean) field(o, name);
    }
}
