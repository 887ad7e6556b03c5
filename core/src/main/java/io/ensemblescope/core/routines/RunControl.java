package io.ensemblescope.core.routines;

import java.util.concurrent.CancellationException;

/** Asked at every step boundary: stop for good (cancel), or stop after a snapshot to resume later (preempt). */
public interface RunControl {
    RunControl NONE = new RunControl() {};

    /** The job was cancelled: stop without a snapshot. */
    default boolean cancelled() {
        return false;
    }

    /** The process is shutting down: write a step-level snapshot, then stop. */
    default boolean preempted() {
        return false;
    }

    /** Thrown after a preempted run wrote its snapshot. */
    final class PreemptedException extends CancellationException {
        public PreemptedException(String message) {
            super(message);
        }
    }
}
