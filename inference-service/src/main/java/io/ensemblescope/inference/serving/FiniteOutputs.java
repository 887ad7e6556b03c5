package io.ensemblescope.inference.serving;

/**
 * A prediction goes out only when every number in it is finite. Finite inputs of extreme magnitude (±3.4·10³⁸) once
 * came back as NaN probabilities with status OK; now the call fails with FAILED_PRECONDITION naming the model.
 */
final class FiniteOutputs {
    private FiniteOutputs() {}

    static Prediction check(Prediction p) {
        if (!finite(p.memberProbabilities()) || !finite(p.meanProbabilities())
                || (p.logits() != null && !finite(p.logits()))) {
            throw new IllegalStateException("model " + p.name() + "/" + p.version() + " produced non-finite outputs"
                    + " for this input (values too large for float32?); nothing is returned");
        }
        return p;
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
