package io.ensemblescope.rpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Answers a unary call from a body run on the calling thread: its value, or its failure as a status. */
public final class UnaryCalls {
    private UnaryCalls() {}

    /** Failures reach the client through {@link Statuses#toStatus}. */
    public static <T> void answer(StreamObserver<T> responses, Callable<T> body) {
        answer(responses, body, Statuses::toStatus);
    }

    /**
     * Failures reach the client through {@code toStatus}. An interrupted body leaves the thread's interrupt flag set,
     * so whoever owns the thread still sees that it was asked to stop.
     */
    public static <T> void answer(StreamObserver<T> responses, Callable<T> body,
                                  Function<Throwable, StatusRuntimeException> toStatus) {
        T value;
        try {
            value = body.call();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            responses.onError(toStatus.apply(e));
            return;
        }
        responses.onNext(value);
        responses.onCompleted();
    }
}
