package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.RunEvaluationEvent;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.WeightDiversityRequest;
import io.ensemblescope.metrics.evaluation.DiversityReports;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.math.WeightDiversity;
import io.ensemblescope.rpc.Statuses;
import io.ensemblescope.rpc.UnaryCalls;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** The MetricsService contract over the metric library: a thin adapter, all logic lives in the cores it calls. */
public final class MetricsServiceImpl extends MetricsServiceGrpc.MetricsServiceImplBase {
    private final EvaluationLimits limits;
    private final MetricsMeters meters;
    private final EvaluationRunner runner;
    private final CheckpointWeights weights;

    public MetricsServiceImpl(EvaluationLimits limits, MetricsMeters meters, EvaluationRunner runner,
                              CheckpointWeights weights) {
        this.limits = limits;
        this.meters = meters;
        this.runner = runner;
        this.weights = weights;
    }

    @Override
    public StreamObserver<EvaluationChunk> evaluate(StreamObserver<EvaluationReport> responses) {
        return new EvaluateCall(responses, limits, meters);
    }

    @Override
    public void runEvaluation(RunEvaluationRequest request, StreamObserver<RunEvaluationEvent> events) {
        runner.run(request, events);
    }

    @Override
    public void weightDiversity(WeightDiversityRequest request, StreamObserver<DiversityReport> response) {
        UnaryCalls.answer(response, () -> {
            if (request.getCheckpoint().getName().isBlank()) {
                throw new IllegalArgumentException("checkpoint.name: must not be empty");
            }
            CheckpointWeights.MemberWeights w = weights.read(request.getCheckpoint());
            WeightDiversity.Result result = WeightDiversity.of(w.members());
            return DiversityReports.of(w.checkpoint(), w.method(), result, w.note());
        }, e -> e instanceof UnsupportedOperationException
                ? Status.UNIMPLEMENTED.withDescription(e.getMessage()).asRuntimeException() : Statuses.toStatus(e));
    }
}
