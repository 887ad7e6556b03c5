package io.ensemblescope.inference.serving;

import io.ensemblescope.core.text.ClientText;
import java.util.function.BooleanSupplier;

/**
 * One prediction request as the serving core sees it.
 *
 * @param name model name
 * @param version model version; empty means whatever version is loaded (or the latest)
 * @param input the input batch
 * @param mcSamples MC Dropout's T (0 = the model's default); must be 0 for other methods
 * @param returnLogits also return member logits
 * @param requestId caller's id, echoed
 * @param receivedNanos {@link System#nanoTime()} at receipt
 * @param deadlineNanos {@link System#nanoTime()} after which the work is abandoned ({@link Long#MAX_VALUE}: none)
 * @param cancelled true once the caller has gone away
 */
public record PredictCall(String name, String version, InputTensor input, int mcSamples, boolean returnLogits,
                          String requestId, long receivedNanos, long deadlineNanos, BooleanSupplier cancelled) {

    /** A call without deadline or cancellation, received now. */
    public static PredictCall of(String name, String version, InputTensor input, int mcSamples,
                                 boolean returnLogits, String requestId) {
        return new PredictCall(name, version, input, mcSamples, returnLogits, requestId, System.nanoTime(),
                Long.MAX_VALUE, () -> false);
    }

    /** Whether the caller no longer wants the answer (cancelled or past its deadline). */
    public boolean abandoned() {
        return cancelled.getAsBoolean() || System.nanoTime() - deadlineNanos > 0;
    }

    /** Throws the JDK exception the adapter maps to CANCELLED or DEADLINE_EXCEEDED when the call is abandoned. */
    public void checkAlive() throws java.util.concurrent.TimeoutException {
        if (cancelled.getAsBoolean()) {
            throw new java.util.concurrent.CancellationException("request " + ClientText.quote(requestId)
                    + " was cancelled");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new java.util.concurrent.TimeoutException("request " + ClientText.quote(requestId)
                    + " passed its deadline");
        }
    }
}
