package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.OodScores;
import io.ensemblescope.api.v1.SplitReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headline numbers of the latest RunEvaluation report per model as gauges
 * (escope_metrics_report_{accuracy,nll,ece,brier,mutual_information,disagreement} labelled model and split;
 * escope_metrics_report_auroc labelled model, split (the OOD split) and score). Label values come only from a model
 * the inference service served and the splits of that evaluation; a model's new report replaces its old series, and
 * beyond {@code maxModels} models the least recently reported one's series are removed, so the series count stays
 * bounded whatever clients name.
 */
final class ReportGauges {
    private final MeterRegistry registry;
    private final int maxModels;
    private final LinkedHashMap<String, List<Meter.Id>> byModel = new LinkedHashMap<>();

    ReportGauges(MeterRegistry registry, int maxModels) {
        this.registry = registry;
        this.maxModels = maxModels;
    }

    synchronized void publish(String model, EvaluationReport report) {
        remove(byModel.remove(model));
        List<Meter.Id> ids = new ArrayList<>();
        for (SplitReport s : report.getSplitsList()) {
            Tags tags = Tags.of("model", model, "split", s.getSplit().getName());
            if (s.getLabeled()) {
                ids.add(gauge("accuracy", tags, s.getAccuracy()));
                ids.add(gauge("nll", tags, s.getNll()));
                ids.add(gauge("ece", tags, s.getEce()));
                ids.add(gauge("brier", tags, s.getBrier()));
            }
            ids.add(gauge("mutual_information", tags, s.getMutualInformation()));
            ids.add(gauge("disagreement", tags, s.getDisagreement()));
        }
        for (OodReport o : report.getOodList()) {
            for (OodScores score : o.getScoresList()) {
                ids.add(gauge("auroc", Tags.of("model", model, "split", o.getOodSplit(), "score", score.getScore()),
                        score.getAuroc()));
            }
        }
        byModel.put(model, ids);
        for (Iterator<Map.Entry<String, List<Meter.Id>>> it = byModel.entrySet().iterator();
             byModel.size() > maxModels && it.hasNext(); ) {
            remove(it.next().getValue());
            it.remove();
        }
    }

    /** Series now published (for tests and diagnostics). */
    synchronized int series() {
        return byModel.values().stream().mapToInt(List::size).sum();
    }

    private Meter.Id gauge(String metric, Tags tags, double value) {
        return Gauge.builder("escope.metrics.report." + metric, () -> value)
                .description("Latest RunEvaluation report's " + metric + " for the model and split")
                .tags(tags).strongReference(true).register(registry).getId();
    }

    private void remove(List<Meter.Id> ids) {
        if (ids != null) {
            ids.forEach(registry::remove);
        }
    }
}
