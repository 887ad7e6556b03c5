package io.ensemblescope.reports.load;

import io.ensemblescope.reports.ChartFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a load test: loadtest.md, loadtest.json, loadtest.csv and plots/*.png — latency vs throughput per batch
 * size and loop mode, p99 vs batch size per load, and a latency CDF per batch size and load.
 */
public final class LoadReportWriter {
    /** The files written. */
    public record Written(Path markdown, Path json, Path csv, List<Path> plots) {}

    public Written write(LoadReport report, Path dir) throws IOException {
        Path plots = Files.createDirectories(dir.resolve("plots"));
        Path md = Files.writeString(dir.resolve("loadtest.md"), LoadMarkdown.render(report));
        Path json = Files.writeString(dir.resolve("loadtest.json"), LoadJson.render(report));
        Path csv = Files.writeString(dir.resolve("loadtest.csv"), LoadCsv.render(report.results()));
        List<LoadResult> results = report.results();
        List<Path> written = new ArrayList<>();
        Set<String> modes = new LinkedHashSet<>();
        Set<Integer> batches = new LinkedHashSet<>();
        Map<String, String> loads = new LinkedHashMap<>(); // load label → file-name id
        Set<LoadPoint> points = new LinkedHashSet<>();
        for (LoadResult r : results) {
            modes.add(r.point().mode());
            batches.add(r.point().batch());
            loads.put(r.point().load(), r.point().loadId());
            points.add(r.point());
        }
        for (int b : batches) {
            for (String mode : modes) {
                written.add(ChartFiles.png(LoadCharts.latencyVsThroughput(results, b, mode), plots,
                        "latency-vs-throughput-" + mode + "-B" + b));
            }
        }
        if (batches.size() > 1) {
            for (Map.Entry<String, String> load : loads.entrySet()) {
                written.add(ChartFiles.png(LoadCharts.p99VsBatch(results, load.getKey()), plots,
                        "p99-vs-batch-" + load.getValue()));
            }
        }
        for (LoadPoint p : points) {
            written.add(ChartFiles.png(LoadCharts.cdf(results, p), plots, "cdf-" + p.id()));
        }
        return new Written(md, json, csv, written);
    }
}
