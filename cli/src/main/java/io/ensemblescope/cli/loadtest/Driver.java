package io.ensemblescope.cli.loadtest;

/** Offers one kind of load through a {@link Sender} and records every request. */
interface Driver {
    /** Starts offering load now. */
    void start(Recording recording);

    /**
     * Stops offering load (requests in flight go on) and returns how many requests were due before now but never
     * sent because the generator fell behind (always 0 in a closed loop).
     */
    long stop() throws InterruptedException;

    /** Waits until every request sent has ended; false when the timeout passed first. */
    boolean awaitIdle(long timeoutNanos) throws InterruptedException;
}
