package io.ensemblescope.reports;

/**
 * What one method costs to serve, for the report's Cost section.
 *
 * @param model the checkpoint measured (name/version)
 * @param sharedParameters trainable parameters shared by all members
 * @param perMemberParameters trainable parameters of each member
 * @param members members served (k; T for MC Dropout)
 * @param parameters all trainable parameters held
 * @param weightBytes bytes of every stored array (float32, running statistics included)
 * @param flopsPerSample forward FLOPs per input sample, all members together (analytic)
 * @param servedBytes native memory of the loaded model in the server, when measured in-process (else null)
 * @param rssGrowthBytes growth of the server's resident set when the model loaded, when in-process (else null)
 * @param batch1 latency of one request at a time with B = 1
 * @param batch32 latency of one request at a time with B = 32
 * @param peakSamplesPerSecond the highest throughput measured
 * @param peakAt where it was measured, e.g. "B = 32, 4 in flight"
 */
public record MethodCost(String model, long sharedParameters, long perMemberParameters, int members, long parameters,
                         long weightBytes, double flopsPerSample, Double servedBytes, Double rssGrowthBytes,
                         Latency batch1, Latency batch32, double peakSamplesPerSecond, String peakAt) {
    /** Median and 99th-percentile latency in µs over {@code requests} requests. */
    public record Latency(double p50, double p99, long requests) {}

    /** The memory a reader should budget: the served native memory when measured, else the weight bytes. */
    public double memoryBytes() {
        return servedBytes != null ? servedBytes : weightBytes;
    }
}
