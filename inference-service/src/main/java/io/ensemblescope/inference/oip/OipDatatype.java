package io.ensemblescope.inference.oip;

import io.ensemblescope.inference.serving.InputDType;

/** The protocol datatypes an EnsembleScope input may have: raw pixels or normalized model input. */
public enum OipDatatype {
    /** Raw pixels 0..255, normalized by the server with the model's normalization. */
    UINT8(InputDType.UINT8),
    /** Already-normalized model input. */
    FP32(InputDType.FLOAT32);

    private final InputDType input;

    OipDatatype(InputDType input) {
        this.input = input;
    }

    public InputDType input() {
        return input;
    }

    public int bytes() {
        return input.bytes();
    }

    /** The datatype named {@code name} (case-sensitive, as the protocol's strings are). */
    public static OipDatatype parse(String name, String field) {
        for (OipDatatype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException(field + ": must be UINT8 (raw pixels) or FP32 (normalized input), got "
                + OipText.quote(name));
    }
}
