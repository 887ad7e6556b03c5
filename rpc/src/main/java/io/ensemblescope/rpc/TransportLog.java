package io.ensemblescope.rpc;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * grpc-java's Netty transport logs a WARNING with a stack trace for every message it refuses before any service sees
 * it (larger than the server's limit, or undecompressable): a client mistake that a flood of requests would turn
 * into a flood of traces. This filter rewrites those records as one line, at most
 * {@link CallOutcomes#LINES_PER_WINDOW} per {@link CallOutcomes#WINDOW_SECONDS} s; the call still fails with its
 * status (RESOURCE_EXHAUSTED for an oversized message).
 */
final class TransportLog {
    private static final String STREAM_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
    private static final String DEFRAME_FAILED = "Exception processing message";
    /** Held so the JUL logger, and with it the filter, is never collected. */
    private static final Logger STREAM = Logger.getLogger(STREAM_LOGGER);
    private static final RateLimit LIMIT = new RateLimit(CallOutcomes.LINES_PER_WINDOW, CallOutcomes.WINDOW_SECONDS,
            TimeUnit.SECONDS, System::nanoTime);

    private TransportLog() {}

    /** Installs the filter (idempotent). */
    static synchronized void install() {
        if (STREAM.getFilter() != null) {
            return;
        }
        STREAM.setFilter(record -> {
            if (!DEFRAME_FAILED.equals(record.getMessage()) || record.getThrown() == null) {
                return true;
            }
            long skipped = LIMIT.acquire();
            if (skipped < 0) {
                return false;
            }
            Status status = Status.fromThrowable(record.getThrown());
            record.setLevel(Level.INFO);
            record.setMessage("message refused before reaching a service: " + status.getCode() + " "
                    + status.getDescription() + (skipped == 0 ? "" : " (" + skipped + " similar lines left out)"));
            record.setThrown(null);
            return true;
        });
    }
}
