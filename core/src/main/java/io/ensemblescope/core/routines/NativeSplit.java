package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.datasets.ImageDataset;
import java.nio.ByteBuffer;

/**
 * A training split held on the native side as one uint8 tensor, copied there once per run: a batch is gathered by
 * index and normalized by the engine, so a step makes no Java-side gather and no host-to-native copy of its images.
 * Used when batches need no augmentation (augmentation draws from the run's Java stream per image).
 */
final class NativeSplit {
    private final NDArray pixels;
    private final NDArray labels;
    private final NDArray scale;
    private final NDArray shift;

    /** Copies {@code data} into arrays of {@code manager} (the run's), which owns them. */
    NativeSplit(ImageDataset data, NDManager manager) {
        long[] sample = data.sampleShape();
        long[] shape = new long[sample.length + 1];
        shape[0] = data.size();
        System.arraycopy(sample, 0, shape, 1, sample.length);
        ByteBuffer bytes = ByteBuffer.allocateDirect(data.pixels().length).put(data.pixels()).flip();
        this.pixels = manager.create(bytes, new Shape(shape), DataType.UINT8);
        long[] y = new long[data.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.label(i);
        }
        this.labels = manager.create(y);
        // x' = x · 1/(255·std) − mean/std per channel: the same two float roundings as the Java batcher.
        int c = data.channels();
        float[] sc = new float[c];
        float[] sh = new float[c];
        for (int i = 0; i < c; i++) {
            sc[i] = 1f / (255f * data.normalization().std()[i]);
            sh[i] = data.normalization().mean()[i] / data.normalization().std()[i];
        }
        long[] channelShape = new long[shape.length];
        java.util.Arrays.fill(channelShape, 1);
        channelShape[1] = c;
        this.scale = manager.create(sc, new Shape(channelShape));
        this.shift = manager.create(sh, new Shape(channelShape));
    }

    /** Normalized images [n, C, H, W] and int64 labels [n] of rows {@code order[from..from+n)}, in {@code sub}. */
    NDList batch(int[] order, int from, int n, NDManager sub) {
        long[] rows = new long[n];
        for (int i = 0; i < n; i++) {
            rows[i] = order[from + i];
        }
        NDArray index = sub.create(rows);
        // Ops attach their result to the first operand's manager, here the run's: move the gathered rows to sub.
        NDArray x = pixels.get(index);
        x.attach(sub);
        NDArray y = labels.get(index);
        y.attach(sub);
        return new NDList(x.toType(DataType.FLOAT32, false).muli(scale).subi(shift), y);
    }
}
