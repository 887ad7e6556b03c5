package io.ensemblescope.metrics.math;

/**
 * Natural log of positive normal doubles by table and short series: x = 2^e·m with m in [1, 2) split as
 * m = c_j·(1 + r), c_j = 1 + j/1024 from the top 10 mantissa bits, so |r| < 2^-10 and
 * ln x = e·ln 2 + ln c_j + log1p(r), log1p by its Taylor series to r⁵ (truncation < 2e-19). Within a few ulp of
 * {@link Math#log}, or 3e-16 absolute (a few ulp of ln 2) just below 1 where e·ln 2 and ln c_j cancel — far inside
 * the float32 inputs' own precision; it exists because ingest takes k·C + C logs per sample and the JDK intrinsic dominated the cost.
 */
final class FastLog {
    private static final int BITS = 10;
    private static final int SIZE = 1 << BITS;
    private static final double LN2 = Math.log(2);
    private static final double[] LOG_C = new double[SIZE];
    private static final double[] C = new double[SIZE];
    private static final double[] INV_C = new double[SIZE];

    static {
        for (int j = 0; j < SIZE; j++) {
            C[j] = 1 + (double) j / SIZE;
            LOG_C[j] = Math.log(C[j]);
            INV_C[j] = 1 / C[j];
        }
    }

    private FastLog() {}

    /** ln x for a positive, normal, finite x (callers clamp first). */
    static double ln(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int exponent = (int) (bits >>> 52) - 1023;
        int j = (int) (bits >>> (52 - BITS)) & (SIZE - 1);
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        // m − c_j is exact: both lie in [1, 2) and share the top mantissa bits.
        double r = (m - C[j]) * INV_C[j];
        double log1p = r * (1 - r * (0.5 - r * (1.0 / 3 - r * (0.25 - r * 0.2))));
        return exponent * LN2 + (LOG_C[j] + log1p);
    }
}
