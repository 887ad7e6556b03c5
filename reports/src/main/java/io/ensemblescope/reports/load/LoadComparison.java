package io.ensemblescope.reports.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each method side by side with the single model at the same batch and load: the ratio of its p50 and p99 latency to
 * the single model's (1.00 = as fast, 2.00 = twice as slow) and of its throughput.
 */
public final class LoadComparison {
    /** The single model's method name, the baseline. */
    public static final String BASELINE = "SINGLE";

    /** One method at one batch and load against the baseline measured beside it. */
    public record Ratio(LoadResult result, LoadResult baseline, double p50, double p99, double throughput) {}

    private LoadComparison() {}

    /** Ratios for every non-baseline result that has a baseline run at the same point; empty without a baseline. */
    public static List<Ratio> of(List<LoadResult> results) {
        List<Ratio> out = new ArrayList<>();
        for (LoadResult r : results) {
            if (BASELINE.equals(r.method())) {
                continue;
            }
            baseline(results, r.point()).ifPresent(b -> out.add(new Ratio(r, b,
                    r.latency().p50() / b.latency().p50(), r.latency().p99() / b.latency().p99(),
                    r.requestsPerSecond() / b.requestsPerSecond())));
        }
        return out;
    }

    static Optional<LoadResult> baseline(List<LoadResult> results, LoadPoint point) {
        return results.stream().filter(r -> BASELINE.equals(r.method()) && r.point().equals(point)
                && r.requests() > 0).findFirst();
    }
}
