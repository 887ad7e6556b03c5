package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.Method;
import java.util.List;

/** The paper's four rows: single model, MC Dropout, Deep Ensemble and BatchEnsemble, in table order. */
public final class StandardMethods {
    private StandardMethods() {}

    /**
     * @param k ensemble size of Deep Ensemble and BatchEnsemble
     * @param mcSamples T for MC Dropout
     */
    public static List<StudyMethod> of(int k, int mcSamples) {
        return List.of(
                new StudyMethod("Single", Method.SINGLE, 1, 0),
                new StudyMethod("MC Dropout (T=" + mcSamples + ")", Method.MC_DROPOUT, 1, mcSamples),
                new StudyMethod("Deep Ensemble (k=" + k + ")", Method.DEEP_ENSEMBLE, k, 0),
                new StudyMethod("BatchEnsemble (k=" + k + ")", Method.BATCH_ENSEMBLE, k, 0));
    }
}
