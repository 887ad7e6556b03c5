package io.ensemblescope.inference.grpc;

import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One PredictStream call. Flow control both ways: at most {@code window} requests are in flight (the next is asked
 * for only when an answer has gone out), and no more are asked for while the client is not reading. Answers go out
 * as they finish, tagged with their request_id. A failing request fails the stream with a status naming it.
 */
final class PredictStreamHandler implements StreamObserver<PredictRequest> {
    private final InferenceEngine engine;
    private final ServerCallStreamObserver<PredictResponse> out;
    private final Object lock = new Object();
    private int inFlight;
    private int owedRequests;
    private boolean halfClosed;
    private boolean finished;

    PredictStreamHandler(InferenceEngine engine, ServerCallStreamObserver<PredictResponse> out, int window) {
        this.engine = engine;
        this.out = out;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::onReady);
        out.setOnCancelHandler(() -> {
            synchronized (lock) {
                finished = true;
            }
        });
        out.request(window);
    }

    @Override
    public void onNext(PredictRequest request) {
        long now = System.nanoTime();
        if (request.getRequestId().isEmpty()) {
            fail(new IllegalArgumentException("request_id: required on PredictStream"));
            return;
        }
        synchronized (lock) {
            if (finished) {
                return;
            }
            inFlight++;
        }
        String id = request.getRequestId();
        try {
            engine.predict(ProtoCodec.toCall(request, now, Deadlines.nanoDeadline(now), this::gone))
                    .whenComplete((p, e) -> {
                        if (e != null) {
                            fail(new RequestFailure(id, e));
                        } else {
                            answered(ProtoCodec.toResponse(p));
                        }
                    });
        } catch (RuntimeException e) {
            fail(new RequestFailure(id, e));
        }
    }

    private boolean gone() {
        synchronized (lock) {
            return finished || out.isCancelled();
        }
    }

    private void answered(PredictResponse response) {
        synchronized (lock) {
            inFlight--;
            if (finished) {
                return;
            }
            out.onNext(response);
            if (out.isReady()) {
                out.request(1);
            } else {
                owedRequests++;
            }
            completeIfDone();
        }
    }

    private void onReady() {
        synchronized (lock) {
            if (owedRequests > 0 && !finished) {
                out.request(owedRequests);
                owedRequests = 0;
            }
        }
    }

    private void fail(Throwable t) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            Throwable cause = t instanceof RequestFailure rf ? rf.getCause() : t;
            var status = GrpcErrors.toStatus(cause);
            if (t instanceof RequestFailure rf) {
                status = status.getStatus().withDescription("request_id " + ClientText.quote(rf.id) + ": "
                        + status.getStatus().getDescription()).asRuntimeException();
            }
            out.onError(status);
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            finished = true;
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            halfClosed = true;
            completeIfDone();
        }
    }

    private void completeIfDone() {
        if (halfClosed && inFlight == 0 && !finished) {
            finished = true;
            out.onCompleted();
        }
    }

    /** A failure of one request of the stream, remembering its id for the status. */
    private static final class RequestFailure extends RuntimeException {
        final String id;

        RequestFailure(String id, Throwable cause) {
            super(cause);
            this.id = id;
        }
    }
}
