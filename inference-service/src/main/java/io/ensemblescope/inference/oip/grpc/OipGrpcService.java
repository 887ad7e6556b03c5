package io.ensemblescope.inference.oip.grpc;

import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.oip.ModelInferResponse;
import io.ensemblescope.api.oip.ModelMetadataRequest;
import io.ensemblescope.api.oip.ModelMetadataResponse;
import io.ensemblescope.api.oip.ModelReadyRequest;
import io.ensemblescope.api.oip.ModelReadyResponse;
import io.ensemblescope.api.oip.ServerLiveRequest;
import io.ensemblescope.api.oip.ServerLiveResponse;
import io.ensemblescope.api.oip.ServerMetadataRequest;
import io.ensemblescope.api.oip.ServerMetadataResponse;
import io.ensemblescope.api.oip.ServerReadyRequest;
import io.ensemblescope.api.oip.ServerReadyResponse;
import io.ensemblescope.inference.grpc.Deadlines;
import io.ensemblescope.inference.grpc.GrpcErrors;
import io.ensemblescope.inference.grpc.Unary;
import io.ensemblescope.inference.oip.BindingParameters;
import io.ensemblescope.inference.oip.OpenInference;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The Open Inference Protocol's gRPC service over {@link OpenInference}: translation and status mapping only. */
public final class OipGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final OpenInference oip;

    public OipGrpcService(OpenInference oip) {
        this.oip = oip;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
        Unary.answer(responses, () -> ServerLiveResponse.newBuilder().setLive(oip.live()).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
        Unary.answer(responses, () -> ServerReadyResponse.newBuilder().setReady(oip.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
        Unary.answer(responses, () -> ModelReadyResponse.newBuilder()
                .setReady(oip.modelReady(request.getName(), request.getVersion())).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
        Unary.answer(responses, () -> ServerMetadataResponse.newBuilder().setName(OpenInference.SERVER_NAME)
                .setVersion(oip.serverVersion()).addAllExtensions(OpenInference.EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
        Unary.answer(responses, () -> OipProtos.toMetadata(oip.modelMetadata(request.getName(),
                request.getVersion())));
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
        long now = System.nanoTime();
        ServerCallStreamObserver<ModelInferResponse> out = (ServerCallStreamObserver<ModelInferResponse>) responses;
        try {
            Unary.complete(out, oip.infer(OipProtos.toRequest(request), BindingParameters.NONE, now,
                    Deadlines.nanoDeadline(now), out::isCancelled).thenApply(OipProtos::toResponse));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }
}
