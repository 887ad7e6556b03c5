package io.ensemblescope.reports;

import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.OodScores;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.MeanStd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Mean ± std over seeds of every reported number, looked up by method and split (or OOD pair and score). */
final class StudyAggregates {
    private final StudyResults study;

    StudyAggregates(StudyResults study) {
        this.study = study;
    }

    /** Split names in first-seen order, with their kind. */
    Map<String, SplitKind> splits() {
        Map<String, SplitKind> out = new LinkedHashMap<>();
        study.methods().values().forEach(runs -> runs.forEach(r -> r.evaluation().getSplitsList()
                .forEach(s -> out.putIfAbsent(s.getSplit().getName(), s.getSplit().getKind()))));
        return out;
    }

    /** OOD pairs "in → ood" in first-seen order. */
    Set<List<String>> oodPairs() {
        Set<List<String>> out = new LinkedHashSet<>();
        study.methods().values().forEach(runs -> runs.forEach(r -> r.evaluation().getOodList()
                .forEach(o -> out.add(List.of(o.getInSplit(), o.getOodSplit())))));
        return out;
    }

    /** Score names in first-seen order. */
    Set<String> scores() {
        Set<String> out = new LinkedHashSet<>();
        study.methods().values().forEach(runs -> runs.forEach(r -> r.evaluation().getOodList()
                .forEach(o -> o.getScoresList().forEach(s -> out.add(s.getScore())))));
        return out;
    }

    Optional<MeanStd> split(String method, String split, ToDoubleFunction<SplitReport> metric) {
        List<Double> values = new ArrayList<>();
        for (SeedRun run : study.methods().get(method)) {
            run.evaluation().getSplitsList().stream().filter(s -> s.getSplit().getName().equals(split)).findFirst()
                    .ifPresent(s -> values.add(metric.applyAsDouble(s)));
        }
        return of(values);
    }

    Optional<MeanStd> ood(String method, List<String> pair, String score, ToDoubleFunction<OodScores> metric) {
        List<Double> values = new ArrayList<>();
        for (SeedRun run : study.methods().get(method)) {
            for (OodReport o : run.evaluation().getOodList()) {
                if (o.getInSplit().equals(pair.get(0)) && o.getOodSplit().equals(pair.get(1))) {
                    o.getScoresList().stream().filter(s -> s.getScore().equals(score)).findFirst()
                            .ifPresent(s -> values.add(metric.applyAsDouble(s)));
                }
            }
        }
        return of(values);
    }

    Optional<MeanStd> diversity(String method, boolean cosine) {
        List<Double> values = new ArrayList<>();
        for (SeedRun run : study.methods().get(method)) {
            if (run.diversity() != null) {
                values.add(cosine ? run.diversity().getMeanCosine() : run.diversity().getMeanNormalizedL2());
            }
        }
        return of(values);
    }

    private static Optional<MeanStd> of(List<Double> values) {
        return values.isEmpty() ? Optional.empty()
                : Optional.of(MeanStd.of(values.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
