package io.ensemblescope.inference.serving;

/** The model exists but cannot serve right now (loading, or not loaded and autoload is off): retry later. */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message) {
        super(message);
    }
}
