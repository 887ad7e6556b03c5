package io.ensemblescope.trainer.executor.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;

/**
 * Rides out an unreachable or overloaded API server (a control-plane upgrade, a restart, throttling): failed calls
 * are retried with exponential backoff from the poll interval up to {@link #MAX_BACKOFF}, until the API server has
 * been failing for longer than the configured window; only then does the job fail. Errors that retrying cannot fix
 * (403 from a missing RBAC rule, 422 from a rejected spec) fail at once.
 */
final class ApiOutage {

    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Duration window;
    private final Duration firstBackoff;
    private final Pacer pacer;
    private long since = -1;
    private int failures;

    ApiOutage(Duration window, Duration firstBackoff, Pacer pacer) {
        this.window = window;
        this.firstBackoff = firstBackoff;
        this.pacer = pacer;
    }

    /** The API server answered: the outage, if any, is over. */
    void ended() {
        since = -1;
        failures = 0;
    }

    /**
     * Records a failed call and returns how long to wait before the next try.
     *
     * @throws IllegalStateException when the error is not transient or the outage outlasted the window
     */
    Duration failed(ApiException e, String what) {
        if (!retryable(e.getCode())) {
            throw new IllegalStateException(what + ": Kubernetes API answered HTTP " + e.getCode() + " (not retried): "
                    + brief(e), e);
        }
        long now = pacer.nanoTime();
        if (since < 0) {
            since = now;
        }
        failures++;
        Duration down = Duration.ofNanos(now - since);
        if (down.compareTo(window) >= 0) {
            throw new IllegalStateException(what + ": Kubernetes API unreachable for " + seconds(down) + " s ("
                    + failures + " failed calls, retry window " + seconds(window) + " s): " + brief(e), e);
        }
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(failures - 1, 16));
        backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
        Duration left = window.minus(down);
        return backoff.compareTo(left) > 0 ? left : backoff;
    }

    int failures() {
        return failures;
    }

    /** Connection failures (code 0), timeouts, throttling and server errors pass; the rest is a configuration error. */
    static boolean retryable(int code) {
        return code == 0 || code == 408 || code == 429 || code >= 500;
    }

    static String brief(ApiException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    private static long seconds(Duration d) {
        return d.toSeconds();
    }
}
