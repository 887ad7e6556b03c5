package io.ensemblescope.inference.serving;

import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/** A short, bounded label for why a call failed (a metric tag), from the JDK exception the core threw. */
public final class FailureReason {
    private FailureReason() {}

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    public static String of(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof IllegalArgumentException) {
            return "invalid_argument";
        }
        if (c instanceof NoSuchElementException) {
            return "not_found";
        }
        if (c instanceof ModelUnavailableException) {
            return "unavailable";
        }
        if (c instanceof RejectedExecutionException) {
            return "resource_exhausted";
        }
        if (c instanceof TimeoutException) {
            return "deadline_exceeded";
        }
        if (c instanceof CancellationException || c instanceof InterruptedException) {
            return "cancelled";
        }
        if (c instanceof IllegalStateException) {
            return "failed_precondition";
        }
        return "internal";
    }
}
