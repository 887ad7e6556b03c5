package io.ensemblescope.inference.monitoring;

import java.util.Map;

/**
 * The served statistics of one checkpoint version on its in-distribution evaluation split: what live traffic is
 * compared with. Stored as {@code reference-profile.json} beside the version's manifest (see {@link ReferenceProfiles}).
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param model the checkpoint's name
 * @param version its version
 * @param manifestSha256 sha256 of the version's manifest.json, binding the profile to exactly that checkpoint
 * @param method the checkpoint's method
 * @param members members per prediction when profiled (MC Dropout: T)
 * @param dataset the data profiled, in words (e.g. "mnist test [0, 5000)")
 * @param samples samples profiled
 * @param createdAt ISO-8601 time of writing
 * @param statistics per {@link ServedStatistic#label()}
 */
public record ReferenceProfile(int formatVersion, String model, String version, String manifestSha256, String method,
                               int members, String dataset, long samples, String createdAt,
                               Map<String, Distribution> statistics) {
    public static final int FORMAT_VERSION = 1;

    /**
     * One statistic's reference distribution.
     *
     * @param bucketBounds the statistic's bucket upper bounds when profiled (+Inf excluded)
     * @param bucketCounts samples per bucket, +Inf last (bounds + 1 of them): the PSI's expected counts
     * @param quantiles evenly spaced order statistics (all samples when few), ascending: the KS statistic's reference
     */
    public record Distribution(double[] bucketBounds, long[] bucketCounts, double[] quantiles) {}

    public Distribution of(ServedStatistic statistic) {
        return statistics.get(statistic.label());
    }
}
