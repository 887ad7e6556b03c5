package io.ensemblescope.metrics.math;

/**
 * BatchEnsemble's effective member weights (Wen et al., 2020): W_i = W ∘ F_i with the rank-r fast weight
 * F_i = Σ_q s_iq r_iqᵀ (out × in). A convolution kernel [out, in, kh, kw] is the dense case with {@code spatial} =
 * kh·kw: every kernel tap of (o, c) is scaled by F_i[o][c].
 */
public final class BatchEnsembleWeights {
    private BatchEnsembleWeights() {}

    /**
     * Effective weights of every member.
     *
     * @param shared  W, row-major [out, in, spatial]
     * @param r       input-side fast weights [k][rank][in]
     * @param s       output-side fast weights [k][rank][out]
     * @return [k][out·in·spatial], row-major like W
     */
    public static float[][] effective(float[] shared, int out, int in, int spatial, float[][][] r, float[][][] s) {
        if ((long) out * in * spatial != shared.length) {
            throw new IllegalArgumentException("shared: " + shared.length + " weights for out=" + out + ", in=" + in
                    + ", spatial=" + spatial);
        }
        if (r.length != s.length || r.length == 0) {
            throw new IllegalArgumentException("r, s: need the same number (>= 1) of members, got " + r.length + " and "
                    + s.length);
        }
        float[][] members = new float[r.length][];
        for (int i = 0; i < r.length; i++) {
            members[i] = member(shared, out, in, spatial, r[i], s[i], i);
        }
        return members;
    }

    private static float[] member(float[] w, int out, int in, int spatial, float[][] r, float[][] s, int member) {
        if (r.length != s.length || r.length == 0) {
            throw new IllegalArgumentException("r[" + member + "], s[" + member + "]: need the same rank >= 1, got "
                    + r.length + " and " + s.length);
        }
        for (int q = 0; q < r.length; q++) {
            if (r[q].length != in || s[q].length != out) {
                throw new IllegalArgumentException("r[" + member + "][" + q + "], s[" + member + "][" + q + "]: lengths "
                        + r[q].length + " and " + s[q].length + ", expected in=" + in + " and out=" + out);
            }
        }
        float[] eff = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                double f = 0;
                for (int q = 0; q < r.length; q++) {
                    f += (double) s[q][o] * r[q][c];
                }
                int base = (o * in + c) * spatial;
                for (int t = 0; t < spatial; t++) {
                    eff[base + t] = (float) (w[base + t] * f);
                }
            }
        }
        return eff;
    }
}
