package io.ensemblescope.inference.serving;

import io.ensemblescope.core.models.Method;

/**
 * Observes every block forward the serving core runs (counting, tracing); called on the thread that runs the
 * forward, immediately around it.
 */
public interface ForwardListener {
    ForwardListener NONE = new ForwardListener() {};

    /** Before a forward of {@code rows} rows through replica {@code replica} (0 unless Deep Ensemble). */
    default void beforeForward(String model, Method method, int replica, long rows) {}

    default void afterForward(String model, Method method, int replica, long rows) {}
}
