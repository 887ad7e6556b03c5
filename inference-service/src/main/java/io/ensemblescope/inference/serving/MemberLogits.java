package io.ensemblescope.inference.serving;

import ai.djl.ndarray.NDArray;

/**
 * One forward's member logits read back from the engine, member-major [k, B, C], with their probabilities and mean
 * computed here: for the few hundred numbers of a small batch, two more native ops and two more copies back
 * (softmax, mean) cost more than the arithmetic.
 */
record MemberLogits(int members, int batch, int classes, float[] logits) {

    /** Logits [k, B, C] as the training forward gives them. */
    static MemberLogits memberMajor(NDArray kbc) {
        return new MemberLogits((int) kbc.getShape().get(0), (int) kbc.getShape().get(1),
                (int) kbc.getShape().get(2), kbc.toFloatArray());
    }

    /** Member-stacked logits [B, k·C] of a fused network, transposed to member-major while copying. */
    static MemberLogits stacked(NDArray stacked, int members) {
        int batch = (int) stacked.getShape().get(0);
        int classes = (int) (stacked.getShape().get(1) / members);
        float[] in = stacked.toFloatArray();
        float[] out = new float[in.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < members; i++) {
                System.arraycopy(in, (b * members + i) * classes, out, (i * batch + b) * classes, classes);
            }
        }
        return new MemberLogits(members, batch, classes, out);
    }

    /** Softmax over classes, per member and sample, max-shifted so large logits do not overflow. */
    float[] probabilities() {
        float[] p = new float[logits.length];
        for (int row = 0; row < logits.length; row += classes) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = row; c < row + classes; c++) {
                max = Math.max(max, logits[c]);
            }
            double sum = 0;
            for (int c = row; c < row + classes; c++) {
                double e = Math.exp(logits[c] - max);
                p[c] = (float) e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int c = row; c < row + classes; c++) {
                p[c] *= inv;
            }
        }
        return p;
    }

    /** Mean over members of {@code probabilities}, [B, C]. */
    float[] mean(float[] probabilities) {
        int size = batch * classes;
        float[] m = new float[size];
        for (int i = 0; i < members; i++) {
            for (int j = 0; j < size; j++) {
                m[j] += probabilities[i * size + j];
            }
        }
        float inv = 1f / members;
        for (int j = 0; j < size; j++) {
            m[j] *= inv;
        }
        return m;
    }
}
