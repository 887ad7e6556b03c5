package io.ensemblescope.trainer.executor.kubernetes;

import java.time.Duration;

/**
 * How the executor supervises member Jobs.
 *
 * @param pollInterval    how often Jobs, Pods and progress files are read
 * @param apiOutageWindow how long the API server may keep failing (unreachable, 5xx, throttling) before the job fails;
 *                        failed calls are retried with backoff meanwhile
 * @param pendingTimeout  how long a member may stay Pending (unschedulable, image not pulled) before the job fails
 *                        with the scheduler's reason
 */
public record Supervision(Duration pollInterval, Duration apiOutageWindow, Duration pendingTimeout) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** Long enough for a managed control plane's upgrade or an API server restart. */
    public static final Duration DEFAULT_API_OUTAGE_WINDOW = Duration.ofMinutes(10);
    /** Long enough for a cluster autoscaler to add a GPU node. */
    public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofMinutes(30);
    public static final Supervision DEFAULT = polling(DEFAULT_POLL_INTERVAL);

    public Supervision {
        positive(pollInterval, "pollInterval");
        positive(apiOutageWindow, "apiOutageWindow");
        positive(pendingTimeout, "pendingTimeout");
    }

    /** Polling every {@code pollInterval} with the default windows. */
    public static Supervision polling(Duration pollInterval) {
        return new Supervision(pollInterval, DEFAULT_API_OUTAGE_WINDOW, DEFAULT_PENDING_TIMEOUT);
    }

    private static void positive(Duration d, String field) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + d);
        }
    }
}
