package io.ensemblescope.inference.serving;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls an observer so that nothing it throws can fail a load or an answered call. */
final class ServingObservers {
    private static final Logger LOG = LoggerFactory.getLogger(ServingObservers.class);

    private ServingObservers() {}

    static void safely(ServingObserver observer, Consumer<ServingObserver> event) {
        try {
            event.accept(observer);
        } catch (RuntimeException e) {
            LOG.warn("serving observer {} failed: {}", observer.getClass().getSimpleName(), e.toString());
        }
    }
}
