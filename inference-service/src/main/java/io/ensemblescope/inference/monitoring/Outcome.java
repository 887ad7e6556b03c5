package io.ensemblescope.inference.monitoring;

/**
 * The true labels of one earlier prediction.
 *
 * @param requestId the prediction's request id
 * @param labels one label per sample of that request, in order
 */
public record Outcome(String requestId, int[] labels) {}
