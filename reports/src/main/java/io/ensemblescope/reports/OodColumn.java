package io.ensemblescope.reports;

import io.ensemblescope.api.v1.OodScores;
import java.util.function.ToDoubleFunction;

/** The OOD table's columns, in order. */
public enum OodColumn {
    AUROC("AUROC (%)", "auroc", OodScores::getAuroc),
    AUPR("AUPR (%)", "aupr", OodScores::getAupr),
    AUPR_IN("AUPR-In (%)", "aupr_in", OodScores::getAuprIn),
    FPR95("FPR95 (%)", "fpr95", OodScores::getFpr95);

    final String header;
    final String key;
    final ToDoubleFunction<OodScores> value;

    OodColumn(String header, String key, ToDoubleFunction<OodScores> value) {
        this.header = header;
        this.key = key;
        this.value = value;
    }
}
