package io.ensemblescope.inference.grpc;

import io.ensemblescope.api.v1.PredictResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects a PredictStream's responses and how it ended. */
final class StreamRecorder implements StreamObserver<PredictResponse> {
    final List<PredictResponse> responses = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();

    @Override
    public void onNext(PredictResponse value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error.complete(t);
        completed.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        completed.complete(null);
    }
}
