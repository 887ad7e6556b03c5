package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.Manifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks a request's input against the model's metadata and turns it into normalized float32 model input. Every
 * rejection is an IllegalArgumentException naming the field, except a batch above the model's limit, which is a
 * RejectedExecutionException (RESOURCE_EXHAUSTED: the request is valid, the server will not take that much at once).
 */
public final class InputDecoder {
    private InputDecoder() {}

    /** Normalized input of {@code batch} samples, row-major. */
    public record Decoded(float[] values, int batch) {}

    public static Decoded decode(InputTensor input, Manifest m, int maxBatch) {
        if (input == null || input.shape() == null) {
            throw new IllegalArgumentException("input: missing");
        }
        long[] shape = input.shape();
        long[] sample = m.inputShape();
        if (shape.length != sample.length + 1) {
            throw new IllegalArgumentException("input.shape: rank " + shape.length + " " + Arrays.toString(shape)
                    + ", model " + m.name() + " expects rank " + (sample.length + 1) + " [B, "
                    + Arrays.toString(sample).replaceAll("[\\[\\]]", "") + "]");
        }
        for (int d = 0; d < sample.length; d++) {
            if (shape[d + 1] != sample[d]) {
                throw new IllegalArgumentException("input.shape: dimension " + (d + 1) + " is " + shape[d + 1]
                        + ", model " + m.name() + " expects " + sample[d] + " (sample shape "
                        + Arrays.toString(sample) + ")");
            }
        }
        if (shape[0] <= 0) {
            throw new IllegalArgumentException("input.shape: empty batch (B = " + shape[0] + ")");
        }
        if (shape[0] > maxBatch) {
            throw new RejectedExecutionException("input.shape: batch " + shape[0] + " is above the maximum "
                    + maxBatch + " of model " + m.name());
        }
        if (input.dtype() == null) {
            throw new IllegalArgumentException("input.dtype: must be FLOAT32 or UINT8");
        }
        int batch = (int) shape[0];
        int sampleSize = Math.toIntExact(Arrays.stream(sample).reduce(1, Math::multiplyExact));
        int elements = Math.multiplyExact(batch, sampleSize);
        long expected = (long) elements * input.dtype().bytes();
        ByteBuffer data = input.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("input.raw_data: " + data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + input.dtype() + " needs " + expected);
        }
        float[] out = new float[elements];
        if (input.dtype() == InputDType.FLOAT32) {
            FloatBuffer floats = data.asFloatBuffer();
            floats.get(out);
            for (int i = 0; i < out.length; i++) {
                if (!Float.isFinite(out[i])) {
                    throw new IllegalArgumentException("input.raw_data: element " + i + " is " + out[i]
                            + "; inputs must be finite");
                }
            }
        } else {
            normalizePixels(data, m, sampleSize, out);
        }
        return new Decoded(out, batch);
    }

    /** x' = (x / 255 − mean[c]) / std[c], channel c being the outermost dimension of one sample. */
    private static void normalizePixels(ByteBuffer data, Manifest m, int sampleSize, float[] out) {
        float[] mean = m.normalizationMean();
        float[] std = m.normalizationStd();
        int channels = mean.length;
        int plane = sampleSize / channels;
        int start = data.position();
        for (int i = 0; i < out.length; i++) {
            int c = (i % sampleSize) / plane;
            out[i] = ((data.get(start + i) & 0xFF) / 255f - mean[c]) / std[c];
        }
    }
}
