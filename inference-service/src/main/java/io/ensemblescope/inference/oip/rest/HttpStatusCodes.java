package io.ensemblescope.inference.oip.rest;

import io.ensemblescope.inference.grpc.GrpcErrors;
import io.grpc.Status;

/**
 * The HTTP status of a failure: the gRPC status the same failure gets on the gRPC bindings ({@link GrpcErrors}), in
 * the usual HTTP mapping (that of Google's API gateways), so both bindings classify every error alike.
 */
final class HttpStatusCodes {
    private HttpStatusCodes() {}

    /** The failure's HTTP status and message. */
    record Failure(int code, String message) {}

    static Failure of(Throwable t) {
        Status s = GrpcErrors.toStatus(t).getStatus();
        int code = switch (s.getCode()) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case OK, UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
        return new Failure(code, s.getDescription() == null ? s.getCode().name() : s.getDescription());
    }
}
