package io.ensemblescope.reports.load;

/**
 * Where a request's time went, mean microseconds per successful request: from the response's Timings, the time in
 * the server's batching queue, in the forward pass, and the rest of the server's time (input decoding, dispatch);
 * then {@code transport}, the client latency minus the server's total (serialization both ways, network, client
 * scheduling). All zero for RPCs without Timings (the health check).
 */
public record ServerSplit(double queue, double compute, double otherServer, double transport) {}
