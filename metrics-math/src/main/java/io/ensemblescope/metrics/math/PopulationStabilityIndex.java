package io.ensemblescope.metrics.math;

/**
 * Population stability index of a distribution over fixed bins against a reference: PSI = Σ_b (a_b − e_b)·ln(a_b /
 * e_b), with a_b and e_b the actual and expected bin shares. Shares are Laplace-smoothed by half a count per bin,
 * (n_b + ½) / (n + ½·bins), so an empty bin on either side stays finite. Rule of thumb (credit scoring, where PSI
 * comes from): below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a significant one.
 */
public final class PopulationStabilityIndex {
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
        int bins = expected.length;
        double psi = 0;
        for (int b = 0; b < bins; b++) {
            double pe = (expected[b] + 0.5) / (e + 0.5 * bins);
            double pa = (actual[b] + 0.5) / (a + 0.5 * bins);
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
