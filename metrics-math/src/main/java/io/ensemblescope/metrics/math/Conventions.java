package io.ensemblescope.metrics.math;

/** The conventions every report states, in words. */
public final class Conventions {
    public static final String TEXT = String.join("\n",
            "Ensemble prediction p̄ = mean of the k member probability vectors; argmax ties go to the lowest class.",
            "NLL = −mean log p̄(y) in nats, with p̄(y) clamped to at least 1e-12; every log clamps p the same way"
                    + " (so 0·log 0 = 0). Member NLL likewise on the member's p_i(y).",
            "Brier = mean over samples of Σ_c (p̄_c − 1[c = y])², summed over classes.",
            "ECE: top-label confidence max p̄ in 15 equal-width bins (lo, hi], weighted L1 |acc − conf|, empty bins"
                    + " skipped. Adaptive ECE: 15 equal-mass bins of the confidence-sorted samples (ties: incorrect"
                    + " first).",
            "Uncertainty (nats): predictive entropy H(p̄); expected entropy mean_i H(p_i); mutual information"
                    + " = max(0, H(p̄) − mean_i H(p_i)) per sample = the generalized Jensen–Shannon divergence with"
                    + " uniform weights (reported as both).",
            "Diversity: disagreement = share of the C(k,2) member pairs whose argmax differs; mean pairwise KL over the"
                    + " k(k−1) ordered pairs; both 0 for k = 1.",
            "OOD: OOD is the positive class; scores MSP = 1 − max p̄, entropy H(p̄), mutual information. AUROC exact"
                    + " (Mann–Whitney, ties count 1/2 = average ranks); AUPR = average precision, step-wise as in"
                    + " scikit-learn; AUPR-In = average precision with in-distribution positive and the score"
                    + " negated; FPR95 = in-distribution false-positive rate at the first threshold (highest first)"
                    + " whose OOD recall reaches 0.95. Each OOD split is paired with the first IN_DISTRIBUTION split (splits are reported by kind, then name).",
            "Probabilities must be finite, >= 0 and sum to 1 within 1e-3 per row.",
            "Seeds: mean ± sample standard deviation (n − 1).");

    private Conventions() {}
}
