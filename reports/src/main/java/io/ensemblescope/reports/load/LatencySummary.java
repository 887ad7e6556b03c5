package io.ensemblescope.reports.load;

/** Percentiles, maximum and mean of a latency distribution, in microseconds. */
public record LatencySummary(double p50, double p90, double p99, double p999, double max, double mean) {}
