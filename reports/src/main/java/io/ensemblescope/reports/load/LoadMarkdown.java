package io.ensemblescope.reports.load;

import java.util.List;
import java.util.Map;

/** The load test as Markdown: setup, one row per run, the comparison with the single model, memory, reading notes. */
public final class LoadMarkdown {
    private LoadMarkdown() {}

    public static String render(LoadReport report) {
        StringBuilder md = new StringBuilder("# ").append(report.title()).append("\n\n");
        report.setup().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n').append(comparison(report.results()));
        md.append("## Runs\n\nLatency in ms from the intended send time (open loop) or the send (closed loop) to the"
                + " answer; server split in µs (means): queue / compute / other server time, then transport"
                + " (serialization and network). \"gen CPU\" is the generator's busiest thread in cores (≥ 0.90"
                + " marks a generator that may limit the load).\n\n"
                + "| model | B | load | req/s | samples/s | p50 | p90 | p99 | p99.9 | max | errors | server q/c/o µs"
                + " | transport µs | achieved / target | gen CPU | windows |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|---:|---|\n");
        for (LoadResult r : report.results()) {
            md.append("| ").append(r.label()).append(" | ").append(r.point().batch()).append(" | ")
                    .append(r.point().load()).append(" | ").append(Fmt.fixed(r.requestsPerSecond(), 0))
                    .append(" | ").append(Fmt.fixed(r.samplesPerSecond(), 0)).append(" | ")
                    .append(Fmt.ms(r.latency().p50())).append(" | ").append(Fmt.ms(r.latency().p90()))
                    .append(" | ").append(Fmt.ms(r.latency().p99())).append(" | ")
                    .append(Fmt.ms(r.latency().p999())).append(" | ").append(Fmt.ms(r.latency().max()))
                    .append(" | ").append(errors(r.errors(), r.notSent())).append(" | ")
                    .append(Fmt.fixed(r.server().queue(), 0)).append(" / ")
                    .append(Fmt.fixed(r.server().compute(), 0)).append(" / ")
                    .append(Fmt.fixed(r.server().otherServer(), 0)).append(" | ")
                    .append(Fmt.fixed(r.server().transport(), 0)).append(" | ")
                    .append(r.point().open() ? Fmt.fixed(r.achievedRate(), 0) + " / "
                            + Fmt.number(r.point().targetRate()) : "—").append(" | ")
                    .append(Fmt.fixed(r.cpu().busiestThread(), 2)).append(r.cpu().saturated() ? " ⚠" : "")
                    .append(" | ").append(r.windows()).append(r.stable() ? "" : " (unstable)").append(" |\n");
        }
        md.append('\n');
        memory(md, report.memory());
        md.append("Latency from the intended send time: in the open loop every request has a scheduled send time"
                + " and its latency is counted from there, so a server that stalls delays every request scheduled"
                + " during the stall and the stall shows in the high percentiles (no coordinated omission). A"
                + " closed loop only sends when an answer came back, so it measures service time at a fixed"
                + " concurrency. Each run repeats its measurement window until the last windows' p50 and throughput"
                + " agree within the stability tolerance, or the window limit is reached (\"unstable\").\n");
        return md.toString();
    }

    /** The side-by-side table printed to the console: each method's p50 and p99 relative to the single model. */
    public static String comparison(List<LoadResult> results) {
        List<LoadComparison.Ratio> ratios = LoadComparison.of(results);
        StringBuilder md = new StringBuilder("## Compared with the single model\n\n");
        if (ratios.isEmpty()) {
            return md.append("No single model was measured at the same points, so there is no baseline.\n\n")
                    .toString();
        }
        md.append("Ratio of each method's latency and throughput to the single model's at the same batch and load,"
                + " measured in the same run (p50 2.00 = twice the single model's median latency).\n\n"
                + "| B | load | method | p50 ms | p99 ms | p50 ratio | p99 ratio | throughput ratio |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|\n");
        LoadPoint last = null;
        for (LoadComparison.Ratio r : ratios) {
            if (!r.baseline().point().equals(last)) {
                last = r.baseline().point();
                row(md, r.baseline(), "1.00", "1.00", "1.00");
            }
            row(md, r.result(), Fmt.fixed(r.p50(), 2), Fmt.fixed(r.p99(), 2), Fmt.fixed(r.throughput(), 2));
        }
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, LoadResult r, String p50, String p99, String throughput) {
        md.append("| ").append(r.point().batch()).append(" | ").append(r.point().load()).append(" | ")
                .append(r.label()).append(" | ").append(Fmt.ms(r.latency().p50())).append(" | ")
                .append(Fmt.ms(r.latency().p99())).append(" | ").append(p50).append(" | ").append(p99)
                .append(" | ").append(throughput).append(" |\n");
    }

    private static void memory(StringBuilder md, List<ModelMemory> memory) {
        if (memory.stream().allMatch(m -> m.nativeBytes() == null)) {
            return;
        }
        md.append("## Memory of the in-process server\n\n| model | native arrays (MiB) | RSS growth on load (MiB) |\n"
                + "|---|---:|---:|\n");
        for (ModelMemory m : memory) {
            md.append("| ").append(m.label()).append(" | ").append(Fmt.mib(m.nativeBytes())).append(" | ")
                    .append(Fmt.mib(m.rssGrowthBytes())).append(" |\n");
        }
        md.append('\n');
    }

    /** "0", or e.g. "3 (UNAVAILABLE 2, DEADLINE_EXCEEDED 1)"; requests never sent are listed as "not sent". */
    static String errors(Map<String, Long> errors, long notSent) {
        long total = errors.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0 && notSent == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder().append(total);
        StringBuilder detail = new StringBuilder();
        errors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> detail.append(detail.length() > 0 ? ", " : "").append(e.getKey()).append(' ')
                        .append(e.getValue()));
        if (notSent > 0) {
            detail.append(detail.length() > 0 ? ", " : "").append("not sent ").append(notSent);
        }
        return s.append(" (").append(detail).append(')').toString();
    }
}
