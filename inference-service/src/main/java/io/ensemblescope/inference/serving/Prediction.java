package io.ensemblescope.inference.serving;

import io.ensemblescope.core.models.Method;

/**
 * The answer to one call: every member's probabilities [k, B, C] member-major, their mean [B, C], and optionally
 * the member logits [k, B, C].
 */
public record Prediction(String requestId, String name, String version, Method method, int members, int batch,
                         int classes, float[] memberProbabilities, float[] meanProbabilities, float[] logits,
                         long queueMicros, long computeMicros, long totalMicros, int batchedSamples) {}
