package io.ensemblescope.inference.oip;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The output tensors every EnsembleScope model has, all FP32. k is the member count (T for MC Dropout). */
public enum OipOutput {
    /** Ensemble mean of the member probabilities, [B, C]. */
    PROBABILITIES("probabilities"),
    /** Every member's softmax probabilities, [k, B, C] member-major. */
    MEMBER_PROBABILITIES("member_probabilities"),
    /** Every member's raw logits, [k, B, C] member-major. */
    LOGITS("logits"),
    /** H(p̄) per sample in nats, [B]. */
    PREDICTIVE_ENTROPY("predictive_entropy"),
    /** H(p̄) − mean_i H(p_i) per sample in nats (the Jensen–Shannon divergence of the members), [B]. */
    MUTUAL_INFORMATION("mutual_information"),
    /** Share of member pairs whose argmax differs, per sample, [B]. */
    DISAGREEMENT("disagreement");

    public static final String DATATYPE = "FP32";

    private final String wireName;

    OipOutput(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The output's shape for k members, B samples and C classes; -1 where the value varies per request. */
    public long[] shape(long k, long batch, long classes) {
        return switch (this) {
            case PROBABILITIES -> new long[] {batch, classes};
            case MEMBER_PROBABILITIES, LOGITS -> new long[] {k, batch, classes};
            case PREDICTIVE_ENTROPY, MUTUAL_INFORMATION, DISAGREEMENT -> new long[] {batch};
        };
    }

    /** The output called {@code name}, or an error naming the field and the outputs there are. */
    public static OipOutput named(String name, String field) {
        for (OipOutput o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException(field + ": no output " + OipText.quote(name) + "; outputs are "
                + Arrays.stream(values()).map(OipOutput::wireName).collect(Collectors.joining(", ")));
    }
}
