package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The metrics service's own meters: samples evaluated, evaluation seconds, and the latest RunEvaluation report per
 * served model as bounded gauges ({@link ReportGauges}). Evaluate's chunks carry names a data-plane client chose, so
 * they count towards samples and seconds but label no series.
 */
public final class MetricsMeters {
    /** Models whose latest report is kept as gauges by default. */
    public static final int DEFAULT_REPORTED_MODELS = 32;

    private final Counter samples;
    private final Timer evaluations;
    private final ReportGauges reports;

    public MetricsMeters(MeterRegistry registry) {
        this(registry, DEFAULT_REPORTED_MODELS);
    }

    public MetricsMeters(MeterRegistry registry, int reportedModels) {
        this.samples = Counter.builder("escope.metrics.samples.evaluated")
                .description("Samples evaluated (all splits, all evaluations)")
                .register(registry);
        this.evaluations = Timer.builder("escope.metrics.evaluation")
                .description("Wall time of one evaluation, first chunk to report")
                .register(registry);
        this.reports = new ReportGauges(registry, reportedModels);
    }

    public void samplesEvaluated(long n) {
        samples.increment(n);
    }

    public void evaluationTook(long nanos) {
        evaluations.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Publishes a RunEvaluation report of {@code servedModel} (a name the inference service answered for). */
    public void servedReport(String servedModel, EvaluationReport report) {
        reports.publish(servedModel, report);
    }

    /** Report series now published. */
    public int reportSeries() {
        return reports.series();
    }
}
