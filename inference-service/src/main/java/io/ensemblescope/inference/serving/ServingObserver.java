package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.Manifest;
import java.nio.file.Path;

/**
 * Watches what the serving core serves, e.g. uncertainty monitoring. Called on serving threads: implementations must
 * be quick and must not throw (the core logs and ignores anything they throw).
 */
public interface ServingObserver {
    /** A version became the serving version of its name (first load or hot swap); its files are in {@code dir}. */
    default void loaded(Manifest manifest, Path dir) {}

    /** A version stopped being the serving version of its name (swapped out or unloaded). */
    default void retired(String name, String version) {}

    /** A call was answered with {@code prediction}. */
    default void served(PredictCall call, Prediction prediction) {}
}
