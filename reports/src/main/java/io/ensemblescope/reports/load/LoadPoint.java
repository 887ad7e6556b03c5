package io.ensemblescope.reports.load;

import java.util.Locale;

/**
 * The load offered in one run: a closed loop of {@code concurrency} requests always in flight, or an open loop sending
 * at {@code targetRate} requests/s with Poisson or constant arrivals; {@code batch} samples per request, over the
 * {@code rpc} named ("unary" Predict, "stream" PredictStream, or "health" for the gRPC health check).
 */
public record LoadPoint(String mode, int concurrency, double targetRate, String arrivals, int batch, String rpc) {
    public static final String CLOSED = "closed";
    public static final String OPEN = "open";

    public static LoadPoint closed(int concurrency, int batch, String rpc) {
        return new LoadPoint(CLOSED, concurrency, 0, "", batch, rpc);
    }

    public static LoadPoint open(double rate, String arrivals, int batch, String rpc) {
        return new LoadPoint(OPEN, 0, rate, arrivals, batch, rpc);
    }

    public boolean open() {
        return OPEN.equals(mode);
    }

    /** The load without the batch, e.g. "c=4" or "500/s poisson". */
    public String load() {
        return open() ? String.format(Locale.ROOT, "%s/s %s", Fmt.number(targetRate), arrivals)
                : "c=" + concurrency;
    }

    /** A file-name-safe id of the load alone, e.g. "closed-c4" or "open-500ps-poisson". */
    public String loadId() {
        return open() ? String.format(Locale.ROOT, "open-%sps-%s", Fmt.number(targetRate), arrivals)
                : "closed-c" + concurrency;
    }

    /** A file-name-safe id, e.g. "closed-c4-B8" or "open-500ps-poisson-B8". */
    public String id() {
        return loadId() + "-B" + batch;
    }
}
