package io.ensemblescope.metrics.math;

/**
 * Population stability index of a distribution over fixed bins against a reference: PSI = Σ_b (a_b − e_b)·ln(a_b /
 * e_b), with a_b and e_b the actual and expected bin shares, each floored at {@value #FLOOR} so a bin empty on one
 * side stays finite (a bin empty on both sides adds nothing, so identical distributions score exactly 0). Rule of
 * thumb (credit scoring, where PSI comes from): below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a
 * significant one.
 */
public final class PopulationStabilityIndex {
    /** Smallest share a bin counts with. */
    public static final double FLOOR = 1e-4;

    private PopulationStabilityIndex() {}

    /**
     * @param expected reference counts per bin
     * @param actual   observed counts over the same bins
     * @return PSI (≥ 0); NaN when either side has no samples
     */
    public static double of(long[] expected, long[] actual) {
        if (expected.length != actual.length || expected.length == 0) {
            throw new IllegalArgumentException("bins: expected has " + expected.length + ", actual has "
                    + actual.length + " (must be equal and > 0)");
        }
        double e = total(expected, "expected");
        double a = total(actual, "actual");
        if (e == 0 || a == 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int b = 0; b < expected.length; b++) {
            double pe = Math.max(FLOOR, expected[b] / e);
            double pa = Math.max(FLOOR, actual[b] / a);
            psi += (pa - pe) * Math.log(pa / pe);
        }
        return psi;
    }

    private static double total(long[] counts, String field) {
        double n = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] < 0) {
                throw new IllegalArgumentException(field + "[" + b + "]: count " + counts[b] + " is negative");
            }
            n += counts[b];
        }
        return n;
    }
}
