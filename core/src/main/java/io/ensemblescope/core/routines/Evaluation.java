package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.models.EnsembleNetwork;
import java.nio.FloatBuffer;
import java.util.function.Function;

/** Accuracy of a network's ensemble-mean prediction on a labeled split (used when assembling checkpoints). */
public final class Evaluation {
    private static final int BATCH = 500;

    private Evaluation() {}

    public static double accuracy(EnsembleNetwork net, ImageDataset data) {
        return accuracy(data, net.manager(), x -> net.memberLogits(x, 0));
    }

    /**
     * Accuracy of the mean prediction of any member-logits function ([B, …] → [k, B, C]) on a labeled split,
     * evaluated in batches whose arrays are freed as they go.
     */
    public static double accuracy(ImageDataset data, NDManager manager, Function<NDArray, NDArray> memberLogits) {
        if (data.size() == 0) {
            return Double.NaN;
        }
        long correct = 0;
        float[] x = new float[BATCH * data.imageBytes()];
        long[] sample = data.sampleShape();
        for (int from = 0; from < data.size(); from += BATCH) {
            int b = Math.min(BATCH, data.size() - from);
            data.normalizedInto(from, b, x);
            try (NDManager sub = manager.newSubManager()) {
                NDArray xs = sub.create(FloatBuffer.wrap(x, 0, b * data.imageBytes()),
                        new Shape(b, sample[0], sample[1], sample[2]));
                int[] predicted = memberLogits.apply(xs).softmax(2).mean(new int[] {0}).argMax(1)
                        .toType(DataType.INT32, false).toIntArray();
                for (int i = 0; i < b; i++) {
                    correct += predicted[i] == data.label(from + i) ? 1 : 0;
                }
            }
        }
        return (double) correct / data.size();
    }
}
