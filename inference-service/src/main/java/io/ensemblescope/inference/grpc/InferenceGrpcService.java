package io.ensemblescope.inference.grpc;

import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.ListModelsResponse;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.api.v1.ReportOutcomesResponse;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.api.v1.UnloadModelResponse;
import io.ensemblescope.inference.monitoring.UncertaintyMonitor;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ModelState;
import io.ensemblescope.inference.serving.ModelView;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The InferenceService contract over the serving core: translation and status mapping only. */
public final class InferenceGrpcService extends InferenceServiceGrpc.InferenceServiceImplBase {
    /** Requests of one PredictStream allowed in flight at once. */
    static final int STREAM_WINDOW = 16;

    private final InferenceEngine engine;
    private final UncertaintyMonitor monitor;

    /** @param monitor uncertainty monitoring, or null when it is off (ReportOutcomes then fails FAILED_PRECONDITION) */
    public InferenceGrpcService(InferenceEngine engine, UncertaintyMonitor monitor) {
        this.engine = engine;
        this.monitor = monitor;
    }

    /** Keeps grpc health in step with each model: SERVING when READY, NOT_SERVING otherwise. */
    public void reportHealth(HealthStatusManager health) {
        engine.models().onStateChange((name, state) -> health.setStatus(name,
                state == ModelState.READY ? ServingStatus.SERVING : ServingStatus.NOT_SERVING));
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
        long now = System.nanoTime();
        ServerCallStreamObserver<PredictResponse> out = (ServerCallStreamObserver<PredictResponse>) responses;
        try {
            Unary.complete(out, engine.predict(ProtoCodec.toCall(request, now, Deadlines.nanoDeadline(now),
                    out::isCancelled)).thenApply(ProtoCodec::toResponse));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public StreamObserver<PredictRequest> predictStream(StreamObserver<PredictResponse> responses) {
        return new PredictStreamHandler(engine, (ServerCallStreamObserver<PredictResponse>) responses,
                STREAM_WINDOW);
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
        Unary.answer(responses, () -> {
            ListModelsResponse.Builder b = ListModelsResponse.newBuilder();
            for (ModelView v : engine.models().list()) {
                b.addModels(ProtoCodec.toInfo(v));
            }
            return b.build();
        });
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> responses) {
        Unary.answer(responses, () -> ProtoCodec.toInfo(engine.models().describe(request.getModel().getName(),
                request.getModel().getVersion())));
    }

    @Override
    public void loadModel(LoadModelRequest request, StreamObserver<ModelInfo> responses) {
        Unary.answer(responses, () -> ProtoCodec.toInfo(engine.models().load(request.getModel().getName(),
                request.getModel().getVersion(), ProtoCodec.batching(request.hasBatching(),
                        request.getBatching()))));
    }

    @Override
    public void unloadModel(UnloadModelRequest request, StreamObserver<UnloadModelResponse> responses) {
        Unary.answer(responses, () -> {
            engine.models().unload(request.getModel().getName(), request.getModel().getVersion());
            return UnloadModelResponse.getDefaultInstance();
        });
    }

    @Override
    public void reportOutcomes(ReportOutcomesRequest request, StreamObserver<ReportOutcomesResponse> responses) {
        Unary.answer(responses, () -> {
            if (monitor == null) {
                throw new IllegalStateException("outcome feedback is off on this server (--no-monitoring)");
            }
            return OutcomeCodec.response(monitor.report(OutcomeCodec.outcomes(request)));
        });
    }
}
