package io.ensemblescope.metrics.math;

import java.util.Locale;

/**
 * Aggregation over seeds: the mean and the sample standard deviation (n − 1 in the denominator; 0 for a single
 * seed).
 */
public record MeanStd(double mean, double std, int n) {
    public static MeanStd of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("values: need at least one seed");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanStd(mean, 0, 1);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new MeanStd(mean, Math.sqrt(ss / (n - 1)), n);
    }

    /** "mean ± std" with the given number of decimals, after multiplying both by {@code scale} (100 for percent). */
    public String format(int decimals, double scale) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f, mean * scale, std * scale);
    }
}
