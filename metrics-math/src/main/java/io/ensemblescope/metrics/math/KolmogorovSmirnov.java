package io.ensemblescope.metrics.math;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| of two empirical distribution functions,
 * evaluated exactly at every jump of either (ties move both functions at once, so atoms such as a single model's
 * disagreement of 0 compare correctly).
 */
public final class KolmogorovSmirnov {
    private KolmogorovSmirnov() {}

    /**
     * @param a sorted ascending, finite
     * @param b sorted ascending, finite
     * @return D in [0, 1]; NaN when either sample is empty
     */
    public static double statistic(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double x = Math.min(a[i], b[j]);
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /** The same statistic for unsorted samples (copies and sorts them). */
    public static double statisticUnsorted(double[] a, double[] b) {
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        return statistic(sa, sb);
    }
}
