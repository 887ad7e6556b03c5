package io.ensemblescope.reports.load;

import java.util.Locale;

/** Number formats of the load-test outputs: Locale.ROOT, no trailing ".0" on whole numbers. */
final class Fmt {
    private Fmt() {}

    /** 100 → "100", 2.5 → "2.5". */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%s", v);
    }

    /** Microseconds as milliseconds with three significant digits at most two decimals, e.g. "0.84", "12.3". */
    static String ms(Double micros) {
        if (micros == null || !Double.isFinite(micros)) {
            return "—";
        }
        double ms = micros / 1000;
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "—";
    }

    /** Bytes as MiB with one decimal, "—" when unknown. */
    static String mib(Double bytes) {
        return bytes == null || !Double.isFinite(bytes) ? "—"
                : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
