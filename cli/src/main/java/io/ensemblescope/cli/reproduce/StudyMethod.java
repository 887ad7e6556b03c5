package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.Method;

/**
 * One row of a study's table.
 *
 * @param label row label in the report, e.g. "BatchEnsemble (k=4)"
 * @param method the method trained
 * @param members k (1 for single and MC Dropout)
 * @param mcSamples T for MC Dropout at evaluation (0 otherwise)
 */
public record StudyMethod(String label, Method method, int members, int mcSamples) {}
