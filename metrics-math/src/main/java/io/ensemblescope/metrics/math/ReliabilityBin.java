package io.ensemblescope.metrics.math;

/** One reliability-diagram bin on top-label confidence, (lower, upper], with its count, mean confidence and accuracy. */
public record ReliabilityBin(double lower, double upper, long count, double confidence, double accuracy) {}
