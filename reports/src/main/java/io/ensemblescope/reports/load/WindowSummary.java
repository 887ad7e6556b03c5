package io.ensemblescope.reports.load;

/** One measurement window: its length, completed requests, throughput, median latency (µs) and failed requests. */
public record WindowSummary(double seconds, long requests, double requestsPerSecond, double p50, long errors) {}
