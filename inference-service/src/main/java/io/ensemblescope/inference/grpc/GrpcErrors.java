package io.ensemblescope.inference.grpc;

import io.ensemblescope.inference.serving.FailureReason;
import io.ensemblescope.inference.serving.ModelUnavailableException;
import io.ensemblescope.rpc.Statuses;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The status a serving failure reaches the client with: UNAVAILABLE for a model not ready, else {@link Statuses}. */
public final class GrpcErrors {
    private GrpcErrors() {}

    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable cause = FailureReason.unwrap(t);
        if (cause instanceof ModelUnavailableException) {
            return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
        }
        return Statuses.toStatus(cause);
    }
}
