package io.ensemblescope.rpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps the JDK exception vocabulary the cores speak to gRPC statuses, so cores stay free of gRPC: an
 * IllegalArgumentException (whose message names the field) is INVALID_ARGUMENT, NoSuchElementException NOT_FOUND,
 * IllegalStateException FAILED_PRECONDITION, RejectedExecutionException RESOURCE_EXHAUSTED, TimeoutException
 * DEADLINE_EXCEEDED, CancellationException CANCELLED. Anything else is INTERNAL with the message kept.
 */
public final class Statuses {
    /** The most of a client-supplied (or peer-supplied) value an error message quotes. */
    public static final int QUOTED_CHARS = 128;

    private Statuses() {}

    /** At most {@link #QUOTED_CHARS} characters of {@code value}, for error messages. */
    public static String prefix(String value) {
        return value.length() <= QUOTED_CHARS ? value : value.substring(0, QUOTED_CHARS) + "…";
    }

    public static StatusRuntimeException invalidArgument(String field, String problem) {
        return Status.INVALID_ARGUMENT.withDescription(field + ": " + problem).asRuntimeException();
    }

    public static StatusRuntimeException notFound(String what) {
        return Status.NOT_FOUND.withDescription(what).asRuntimeException();
    }

    public static StatusRuntimeException failedPrecondition(String why) {
        return Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException();
    }

    /** The status a failure should reach the client with. */
    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof StatusException se) {
            // The status as the other side sent it (getMessage() would prefix the code to the description).
            return se.getStatus().asRuntimeException(se.getTrailers());
        }
        Status status;
        if (cause instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (cause instanceof NoSuchElementException) {
            status = Status.NOT_FOUND;
        } else if (cause instanceof IllegalStateException) {
            status = Status.FAILED_PRECONDITION;
        } else if (cause instanceof RejectedExecutionException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (cause instanceof TimeoutException) {
            status = Status.DEADLINE_EXCEEDED;
        } else if (cause instanceof CancellationException || cause instanceof InterruptedException) {
            status = Status.CANCELLED;
        } else if (cause instanceof UncheckedIOException || cause instanceof java.io.IOException) {
            status = Status.UNAVAILABLE;
        } else {
            status = Status.INTERNAL;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return status.withDescription(message).withCause(cause).asRuntimeException();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
