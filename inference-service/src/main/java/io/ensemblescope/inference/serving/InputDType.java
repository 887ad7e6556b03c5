package io.ensemblescope.inference.serving;

/** Element type of a request's input bytes. */
public enum InputDType {
    /** Already-normalized model input, 4 bytes per element, little-endian. */
    FLOAT32,
    /** Raw pixels 0..255, normalized by the server with the model's normalization. */
    UINT8;

    public int bytes() {
        return this == FLOAT32 ? 4 : 1;
    }
}
