package io.ensemblescope.cli.loadtest;

/**
 * The load one run offers: a closed loop keeping {@code concurrency} requests in flight (the next is sent when an
 * answer arrives), or an open loop sending at {@code rate} requests/s whatever the answers do.
 */
public record LoadLevel(int concurrency, double rate, Arrivals arrivals) {
    public static LoadLevel closed(int concurrency) {
        return new LoadLevel(concurrency, 0, null);
    }

    public static LoadLevel open(double rate, Arrivals arrivals) {
        return new LoadLevel(0, rate, arrivals);
    }

    public boolean open() {
        return arrivals != null;
    }
}
