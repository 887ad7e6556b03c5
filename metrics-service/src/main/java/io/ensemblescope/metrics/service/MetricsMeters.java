package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.OodScores;
import io.ensemblescope.api.v1.SplitReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics service's own meters: samples evaluated, evaluation seconds, and the headline numbers of the last report
 * per model and split as gauges (escope_metrics_report_{accuracy,nll,ece,brier,mutual_information,disagreement}
 * labeled model and split; escope_metrics_report_auroc labeled model, split (the OOD split) and score).
 */
public final class MetricsMeters {
    private final MeterRegistry registry;
    private final Counter samples;
    private final Timer evaluations;
    private final Map<String, Value> gauges = new ConcurrentHashMap<>();

    public MetricsMeters(MeterRegistry registry) {
        this.registry = registry;
        this.samples = Counter.builder("escope.metrics.samples.evaluated")
                .description("Samples evaluated (all splits, all evaluations)")
                .register(registry);
        this.evaluations = Timer.builder("escope.metrics.evaluation")
                .description("Wall time of one evaluation, first chunk to report")
                .register(registry);
    }

    public void samplesEvaluated(long n) {
        samples.increment(n);
    }

    public void evaluationTook(long nanos) {
        evaluations.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Sets the gauges from a finished report. */
    public void lastReport(EvaluationReport report) {
        String model = report.getModel().getName().isEmpty() ? "unnamed" : report.getModel().getName();
        for (SplitReport s : report.getSplitsList()) {
            Tags tags = Tags.of("model", model, "split", s.getSplit().getName());
            if (s.getLabeled()) {
                set("accuracy", tags, s.getAccuracy());
                set("nll", tags, s.getNll());
                set("ece", tags, s.getEce());
                set("brier", tags, s.getBrier());
            }
            set("mutual_information", tags, s.getMutualInformation());
            set("disagreement", tags, s.getDisagreement());
        }
        for (OodReport o : report.getOodList()) {
            for (OodScores score : o.getScoresList()) {
                set("auroc", Tags.of("model", model, "split", o.getOodSplit(), "score", score.getScore()),
                        score.getAuroc());
            }
        }
    }

    private void set(String metric, Tags tags, double value) {
        String name = "escope.metrics.report." + metric;
        gauges.computeIfAbsent(name + tags, key -> {
            Value holder = new Value();
            Gauge.builder(name, holder, v -> v.value)
                    .description("Last report's " + metric + " for the model and split")
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            return holder;
        }).value = value;
    }

    private static final class Value {
        volatile double value = Double.NaN;
    }
}
