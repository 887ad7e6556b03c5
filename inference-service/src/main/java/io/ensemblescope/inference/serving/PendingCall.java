package io.ensemblescope.inference.serving;

import java.util.concurrent.CompletableFuture;

/** A decoded call waiting for (or in) a forward, with the future its answer completes. */
record PendingCall(PredictCall call, InputDecoder.Decoded input, int members, CompletableFuture<Prediction> future,
                   long enqueuedNanos) {
    int batch() {
        return input.batch();
    }
}
