package io.ensemblescope.metrics.math;

/** Validation and the clamped logarithm shared by every probability metric. */
public final class Probabilities {
    /** Probabilities are clamped to at least this before a log, so NLL and KL stay finite (0·log 0 is then 0). */
    public static final double LOG_FLOOR = 1e-12;
    /** How far a row may sum from 1 (float32 softmax rounding stays far inside this). */
    public static final double SUM_TOLERANCE = 1e-3;

    private Probabilities() {}

    private static final double LOG_OF_FLOOR = Math.log(LOG_FLOOR);

    /** log(max(p, 1e-12)), within a few ulp of Math.log (see {@link FastLog}); NaN stays NaN. */
    public static double logClamped(double p) {
        if (p > LOG_FLOOR) {
            return p <= Double.MAX_VALUE ? FastLog.ln(p) : Math.log(p);
        }
        return p == p ? LOG_OF_FLOOR : p;
    }

    /**
     * Checks every row of member-major probabilities [k, B, C]: finite, non-negative, summing to 1 within 1e-3.
     *
     * @throws IllegalArgumentException naming the row (i·B + j), its member i and sample j
     */
    public static void validate(float[] probs, int members, int batch, int classes) {
        if ((long) members * batch * classes != probs.length) {
            throw new IllegalArgumentException("probabilities: " + probs.length + " floats for k=" + members + ", B="
                    + batch + ", C=" + classes);
        }
        int rows = members * batch;
        for (int row = 0; row < rows; row++) {
            int base = row * classes;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float p = probs[base + c];
                if (!(p >= 0f) || p == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(rowName(row, batch) + ": probability " + p + " at class " + c
                            + " (must be finite and >= 0)");
                }
                sum += p;
            }
            if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
                throw new IllegalArgumentException(rowName(row, batch) + ": probabilities sum to " + sum
                        + " (must be 1 within " + SUM_TOLERANCE + ")");
            }
        }
    }

    /** Checks labels are in [0, C). */
    public static void validateLabels(int[] labels, int classes) {
        for (int j = 0; j < labels.length; j++) {
            if (labels[j] < 0 || labels[j] >= classes) {
                throw new IllegalArgumentException("labels[" + j + "] (sample " + j + "): " + labels[j]
                        + " outside [0, " + classes + ")");
            }
        }
    }

    static String rowName(int row, int batch) {
        return "row " + row + " (member " + row / batch + ", sample " + row % batch + ")";
    }
}
