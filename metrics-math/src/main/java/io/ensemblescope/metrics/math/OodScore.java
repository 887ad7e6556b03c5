package io.ensemblescope.metrics.math;

/** The OOD scores reported, each oriented so that a higher value means "more likely OOD". */
public enum OodScore {
    /** Maximum softmax probability, as 1 − max_c p̄_c. */
    MSP("msp"),
    /** Predictive entropy H(p̄). */
    ENTROPY("entropy"),
    /** Mutual information H(p̄) − mean_i H(p_i). */
    MUTUAL_INFORMATION("mutual_information");

    private final String id;

    OodScore(String id) {
        this.id = id;
    }

    /** The name used in reports. */
    public String id() {
        return id;
    }
}
