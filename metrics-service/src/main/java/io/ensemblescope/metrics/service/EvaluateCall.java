package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.evaluation.EvaluationSession;
import io.ensemblescope.rpc.Statuses;
import io.grpc.stub.StreamObserver;

/** One Evaluate call: chunks into a session, the report on half-close; the first error ends the call. */
final class EvaluateCall implements StreamObserver<EvaluationChunk> {
    private final StreamObserver<EvaluationReport> responses;
    private final MetricsMeters meters;
    private final EvaluationSession session;
    private long startNanos;
    private boolean finished;

    EvaluateCall(StreamObserver<EvaluationReport> responses, EvaluationLimits limits, MetricsMeters meters) {
        this.responses = responses;
        this.meters = meters;
        this.session = new EvaluationSession(limits);
    }

    @Override
    public void onNext(EvaluationChunk chunk) {
        if (finished) {
            return;
        }
        if (session.chunks() == 0) {
            startNanos = System.nanoTime();
        }
        long before = session.samples();
        try {
            session.accept(chunk);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        meters.samplesEvaluated(session.samples() - before);
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled or broke the stream: nothing to answer.
        finished = true;
    }

    @Override
    public void onCompleted() {
        if (finished) {
            return;
        }
        EvaluationReport report;
        try {
            report = session.report();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        finished = true;
        meters.evaluationTook(System.nanoTime() - startNanos);
        responses.onNext(report);
        responses.onCompleted();
    }

    private void fail(RuntimeException e) {
        finished = true;
        responses.onError(Statuses.toStatus(e));
    }
}
