package io.ensemblescope.cli.loadtest;

/**
 * Sends requests without blocking; each one's {@link Completion} runs exactly once, on a transport thread. Closing
 * cancels whatever is still in flight (those requests complete as CANCELLED).
 */
interface Sender extends AutoCloseable {
    /** Sends request number {@code index} (the index picks the payload and the connection). */
    void send(long index, Completion done);

    @Override
    void close();
}
