package io.ensemblescope.reports.load;

import java.util.List;
import java.util.Map;

/**
 * One measured run of one model at one load point.
 *
 * @param model served model name
 * @param label display label, e.g. "BatchEnsemble (k=4)"
 * @param method SINGLE, MC_DROPOUT, DEEP_ENSEMBLE, BATCH_ENSEMBLE (or HEALTH for the health check)
 * @param point the offered load
 * @param windows measurement windows run; {@code stable} whether the last ones met the stability rule
 * @param seconds length of the windows the result merges
 * @param requests successful requests in those windows; {@code samples} = requests × batch
 * @param latency from the intended send time (open loop) or the send (closed loop) to the answer, µs
 * @param serviceTime from the actual send to the answer, µs (equals latency in a closed loop)
 * @param server where the time went (means)
 * @param errors failed requests by gRPC status code
 * @param notSent open loop: requests whose send time fell in the windows but that the generator never sent
 * @param achievedRate requests sent per second (open loop: compare with the target rate)
 * @param sendLagP99 open loop: 99th percentile of actual minus intended send time, µs (a late generator shows here)
 * @param cpu the generator's CPU
 * @param rssBytes resident set of the server process at the end of the run, when in-process (else null)
 * @param cdf latency distribution as [latency µs, percentile] points
 * @param windowLog every window, warm-up excluded
 */
public record LoadResult(String model, String label, String method, LoadPoint point, int windows, boolean stable,
                         double seconds, long requests, long samples, double requestsPerSecond,
                         double samplesPerSecond, LatencySummary latency, LatencySummary serviceTime,
                         ServerSplit server, Map<String, Long> errors, long notSent, double achievedRate,
                         double sendLagP99, ClientCpu cpu, Double rssBytes, List<double[]> cdf,
                         List<WindowSummary> windowLog) {
    public LoadResult {
        errors = Map.copyOf(errors);
        cdf = List.copyOf(cdf);
        windowLog = List.copyOf(windowLog);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
