package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.Method;

/**
 * One row of a study's table.
 *
 * @param label row label in the report, e.g. "BatchEnsemble (k=4)"
 * @param method the method trained
 * @param members k (1 for single and MC Dropout)
 * @param mcSamples T for MC Dropout at evaluation (0 otherwise)
 * @param batchEnsemble BatchEnsemble options of this row in place of the plan template's (null: the template's), so
 *     that an ablation's rows can differ in one knob
 */
public record StudyMethod(String label, Method method, int members, int mcSamples,
                          BatchEnsembleOptions batchEnsemble) {
    public StudyMethod(String label, Method method, int members, int mcSamples) {
        this(label, method, members, mcSamples, null);
    }
}
