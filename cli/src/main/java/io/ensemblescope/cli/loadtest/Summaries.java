package io.ensemblescope.cli.loadtest;

import io.ensemblescope.reports.load.LatencySummary;
import io.ensemblescope.reports.load.ServerSplit;
import io.ensemblescope.reports.load.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** HdrHistogram contents as the report's numbers (µs). */
final class Summaries {
    /** CDF resolution: points per halving of the distance to 100 %. */
    private static final int CDF_TICKS_PER_HALF = 4;

    private Summaries() {}

    /** Percentiles of a histogram of nanoseconds, in µs; NaN everywhere when it is empty. */
    static LatencySummary latency(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencySummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(micros(nanos, 50), micros(nanos, 90), micros(nanos, 99), micros(nanos, 99.9),
                nanos.getMaxValue() / 1e3, nanos.getMean() / 1e3);
    }

    private static double micros(Histogram nanos, double percentile) {
        return nanos.getValueAtPercentile(percentile) / 1e3;
    }

    /** Mean queue, compute and other server time from the response timings, and the transport time (µs). */
    static ServerSplit server(Interval i) {
        if (i.serverTotal().getTotalCount() == 0) {
            return new ServerSplit(0, 0, 0, 0);
        }
        double queue = i.queue().getMean();
        double compute = i.compute().getMean();
        return new ServerSplit(queue, compute, Math.max(0, i.serverTotal().getMean() - queue - compute),
                i.transport().getMean());
    }

    /** [latency µs, percentile] points of the latency distribution, denser towards the tail. */
    static List<double[]> cdf(Histogram nanos) {
        List<double[]> points = new ArrayList<>();
        if (nanos.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : nanos.percentiles(CDF_TICKS_PER_HALF)) {
            points.add(new double[] {v.getValueIteratedTo() / 1e3, v.getPercentileLevelIteratedTo()});
        }
        return points;
    }

    static List<WindowSummary> windows(List<Interval> windows) {
        return windows.stream().map(w -> new WindowSummary(w.seconds(), w.completed(), w.throughput(),
                w.completed() == 0 ? Double.NaN : w.latency().getValueAtPercentile(50) / 1e3, w.errorCount()))
                .toList();
    }
}
