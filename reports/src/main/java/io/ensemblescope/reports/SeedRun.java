package io.ensemblescope.reports;

import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.metrics.math.UncertaintyScores;
import java.util.Map;

/**
 * One trained seed of one method: its evaluation report, its weight-diversity report (null when not measured, e.g.
 * a single model), and optionally its per-sample OOD scores by split name (needed only for score histograms and ROC
 * curves; empty when the evaluation ran remotely).
 */
public record SeedRun(EvaluationReport evaluation, DiversityReport diversity, Map<String, UncertaintyScores> scores) {
    public SeedRun {
        if (evaluation == null) {
            throw new IllegalArgumentException("evaluation: required");
        }
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    public SeedRun(EvaluationReport evaluation) {
        this(evaluation, null, Map.of());
    }
}
