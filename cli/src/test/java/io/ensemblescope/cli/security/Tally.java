package io.ensemblescope.cli.security;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Statuses per category of a fuzz run, the table docs/SECURITY.md quotes, and the calls that broke the rules. */
final class Tally {
    /** What a client mistake may end with; UNKNOWN, INTERNAL, DATA_LOSS or UNAVAILABLE would be a server fault. */
    static final Set<Status.Code> ALLOWED = EnumSet.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.OUT_OF_RANGE, Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED);

    private final Map<String, Map<Status.Code, Integer>> counts = new TreeMap<>();
    private final Map<String, Long> nanos = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private int total;

    synchronized void add(Probe probe, Status status, long tookNanos) {
        total++;
        nanos.merge(probe.category(), tookNanos, Long::sum);
        counts.computeIfAbsent(probe.category(), c -> new TreeMap<>()).merge(status.getCode(), 1, Integer::sum);
        if (!ALLOWED.contains(status.getCode()) && violations.size() < 20) {
            violations.add(probe.method().getFullMethodName() + " [" + probe.category() + "] → " + status);
        }
    }

    synchronized int total() {
        return total;
    }

    synchronized List<String> violations() {
        return violations;
    }

    /** Markdown: one row per category, the requests sent and the statuses they ended with. */
    synchronized String markdown() {
        StringBuilder md = new StringBuilder("| category | requests | mean ms | statuses |\n|---|---:|---:|---|\n");
        counts.forEach((category, codes) -> {
            int n = codes.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder s = new StringBuilder();
            codes.forEach((code, c) -> s.append(s.length() == 0 ? "" : ", ").append(code).append(' ').append(c));
            md.append("| ").append(category).append(" | ").append(n).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", nanos.get(category) / 1e6 / n))
                    .append(" | ").append(s).append(" |\n");
        });
        return md.append("| **total** | ").append(total).append(" | | |\n").toString();
    }
}
