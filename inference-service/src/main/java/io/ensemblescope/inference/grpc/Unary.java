package io.ensemblescope.inference.grpc;

import io.ensemblescope.rpc.UnaryCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Answers unary calls of any EnsembleScope inference contract, failures mapped by {@link GrpcErrors}. */
public final class Unary {
    private Unary() {}

    /** Answers with a value computed on the calling thread. */
    public static <T> void answer(StreamObserver<T> responses, Call<T> call) {
        UnaryCalls.answer(responses, call::run, GrpcErrors::toStatus);
    }

    /** Answers once {@code future} completes, unless the client has gone. */
    public static <T> void complete(StreamObserver<T> responses, CompletableFuture<T> future) {
        ServerCallStreamObserver<T> out = (ServerCallStreamObserver<T>) responses;
        future.whenComplete((value, e) -> {
            if (out.isCancelled()) {
                return;
            }
            if (e != null) {
                out.onError(GrpcErrors.toStatus(e));
            } else {
                out.onNext(value);
                out.onCompleted();
            }
        });
    }

    /** A unary call's work. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }
}
