package io.ensemblescope.reports.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Every scalar of every run as CSV (RFC 4180 quoting), one row per run; errors as "CODE=n;CODE=n". */
public final class LoadCsv {
    static final List<String> HEADER = List.of("model", "label", "method", "mode", "concurrency", "target_rate",
            "arrivals", "batch", "rpc", "windows", "stable", "seconds", "requests", "samples", "requests_per_second",
            "samples_per_second", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "mean_us", "service_p50_us",
            "service_p99_us", "server_queue_us", "server_compute_us", "server_other_us", "transport_us", "errors",
            "error_count", "not_sent", "achieved_rate", "send_lag_p99_us", "generator_cpu_cores",
            "generator_busiest_thread", "process_cpu_cores", "rss_bytes");

    private LoadCsv() {}

    public static String render(List<LoadResult> results) {
        StringBuilder csv = new StringBuilder(String.join(",", HEADER)).append("\r\n");
        for (LoadResult r : results) {
            LoadPoint p = r.point();
            List<Object> row = List.of(r.model(), r.label(), r.method(), p.mode(), p.concurrency(), p.targetRate(),
                    p.arrivals(), p.batch(), p.rpc(), r.windows(), r.stable(), r.seconds(), r.requests(),
                    r.samples(), r.requestsPerSecond(), r.samplesPerSecond(), r.latency().p50(), r.latency().p90(),
                    r.latency().p99(), r.latency().p999(), r.latency().max(), r.latency().mean(),
                    r.serviceTime().p50(), r.serviceTime().p99(), r.server().queue(), r.server().compute(),
                    r.server().otherServer(), r.server().transport(), errors(r.errors()), r.errorCount(),
                    r.notSent(), r.achievedRate(), r.sendLagP99(), r.cpu().generatorCores(),
                    r.cpu().busiestThread(), r.cpu().processCores(), r.rssBytes() == null ? "" : r.rssBytes());
            csv.append(row.stream().map(LoadCsv::cell).collect(Collectors.joining(","))).append("\r\n");
        }
        return csv.toString();
    }

    private static String errors(Map<String, Long> errors) {
        return errors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    private static String cell(Object v) {
        String s = v instanceof Double d ? (Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "")
                : String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
