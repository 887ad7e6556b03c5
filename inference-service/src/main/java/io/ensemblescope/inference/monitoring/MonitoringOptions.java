package io.ensemblescope.inference.monitoring;

/**
 * Server-wide sizes of uncertainty monitoring, set by the operator (never by a request).
 *
 * @param driftWindow served samples per model in the sliding window compared with the reference profile; drift is
 *     reported once the window is full
 * @param outcomeWindow labeled samples per model in the rolling calibration window
 * @param pendingBytes per model, memory for predictions held until their outcome arrives (member probabilities,
 *     4 bytes each); the oldest are dropped beyond it
 * @param pendingRequests per model, predictions held at most
 */
public record MonitoringOptions(int driftWindow, int outcomeWindow, long pendingBytes, int pendingRequests) {
    public static final MonitoringOptions DEFAULT = new MonitoringOptions(1_000, 10_000, 16L << 20, 100_000);

    public MonitoringOptions {
        check("drift_window", driftWindow, 10, 1_000_000);
        check("outcome_window", outcomeWindow, 1, 1_000_000);
        check("pending_requests", pendingRequests, 1, 10_000_000);
        if (pendingBytes < 0 || pendingBytes > (8L << 30)) {
            throw new IllegalArgumentException("pending_bytes: must be in [0, 8 GiB], got " + pendingBytes);
        }
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": must be in [" + min + ", " + max + "], got " + value);
        }
    }

    public MonitoringOptions withDriftWindow(int samples) {
        return new MonitoringOptions(samples, outcomeWindow, pendingBytes, pendingRequests);
    }

    public MonitoringOptions withOutcomeWindow(int samples) {
        return new MonitoringOptions(driftWindow, samples, pendingBytes, pendingRequests);
    }

    /** Floats of member probabilities held per model. */
    long pendingFloats() {
        return pendingBytes / Float.BYTES;
    }
}
