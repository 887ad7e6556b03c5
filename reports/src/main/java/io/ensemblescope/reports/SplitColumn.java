package io.ensemblescope.reports;

import io.ensemblescope.api.v1.SplitReport;
import java.util.function.ToDoubleFunction;

/** The per-split metrics of the paper-style table, in column order; {@code labeledOnly} ones need labels. */
public enum SplitColumn {
    ACCURACY("Acc (%)", "accuracy", true, 2, 100, SplitReport::getAccuracy),
    NLL("NLL", "nll", true, 4, 1, SplitReport::getNll),
    BRIER("Brier", "brier", true, 4, 1, SplitReport::getBrier),
    ECE("ECE (%)", "ece", true, 2, 100, SplitReport::getEce),
    ADAPTIVE_ECE("aECE (%)", "adaptive_ece", true, 2, 100, SplitReport::getAdaptiveEce),
    ENTROPY("H(p̄)", "predictive_entropy", false, 4, 1, SplitReport::getPredictiveEntropy),
    MI("MI = JSD", "mutual_information", false, 4, 1, SplitReport::getMutualInformation),
    DISAGREEMENT("Disagr. (%)", "disagreement", false, 2, 100, SplitReport::getDisagreement),
    KL("Pairwise KL", "mean_pairwise_kl", false, 4, 1, SplitReport::getMeanPairwiseKl);

    final String header;
    final String key;
    final boolean labeledOnly;
    final int decimals;
    final double scale;
    final ToDoubleFunction<SplitReport> value;

    SplitColumn(String header, String key, boolean labeledOnly, int decimals, double scale,
                ToDoubleFunction<SplitReport> value) {
        this.header = header;
        this.key = key;
        this.labeledOnly = labeledOnly;
        this.decimals = decimals;
        this.scale = scale;
        this.value = value;
    }
}
