package io.ensemblescope.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-op self time of a libtorch profiler trace (the chrome-trace JSON that DJL's {@code JniUtils.stopProfile} and
 * torch.profiler's {@code export_chrome_trace} both write): complete events ("ph": "X") of the op categories are
 * nested per thread by their time spans, and each op's self time is its duration less its direct children's. Read
 * the same way for both engines, so their tables for one step compare line by line. Also reports how much of the
 * profiled span no native op covered: on the JVM that is Java and JNI work between ops, in Python the interpreter's.
 */
public final class OpProfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One op name: how often it ran, its self time, and the input shapes that took most of that time. */
    public record Op(String name, long calls, double selfMs, String shapes) {}

    private final List<Op> ops;
    private final double spanMs;
    private final double topLevelMs;

    private OpProfile(List<Op> ops, double spanMs, double topLevelMs) {
        this.ops = ops;
        this.spanMs = spanMs;
        this.topLevelMs = topLevelMs;
    }

    /** Reads a chrome trace; throws IOException when it holds no op event. */
    public static OpProfile read(Path trace) throws IOException {
        JsonNode root = JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<Span>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !isOp(e.path("cat").asText("cpu_op"))) {
                continue;
            }
            JsonNode shapes = e.has("shape") ? e.get("shape") : e.path("args").path("Input Dims");
            Span s = new Span(e.path("name").asText(), e.path("ts").asDouble(), e.path("dur").asDouble(),
                    shapes.isMissingNode() ? "" : shapes.toString());
            byThread.computeIfAbsent(e.path("pid").asText() + "/" + e.path("tid").asText(), x -> new ArrayList<>())
                    .add(s);
        }
        if (byThread.isEmpty()) {
            throw new IOException("no op events in profiler trace " + trace);
        }
        Map<String, Totals> totals = new LinkedHashMap<>();
        double first = Double.MAX_VALUE;
        double last = 0;
        double topLevel = 0;
        for (List<Span> spans : byThread.values()) {
            spans.sort(Comparator.comparingDouble((Span x) -> x.ts).thenComparing(Comparator.comparingDouble(
                    (Span x) -> x.dur).reversed()));
            Deque<Span> open = new ArrayDeque<>();
            for (Span s : spans) {
                while (!open.isEmpty() && open.peek().end() <= s.ts) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    topLevel += s.dur;
                } else {
                    open.peek().children += s.dur;
                }
                open.push(s);
                first = Math.min(first, s.ts);
                last = Math.max(last, s.end());
            }
            for (Span s : spans) {
                totals.computeIfAbsent(s.name, Totals::new).add(s);
            }
        }
        List<Op> ops = totals.values().stream().map(Totals::op)
                .sorted(Comparator.comparingDouble(Op::selfMs).reversed()).toList();
        return new OpProfile(ops, (last - first) / 1e3, topLevel / 1e3);
    }

    /**
     * Ops: Kineto marks them "cpu_op"; the legacy profiler (what DJL's libtorch build writes) has no category and
     * puts the input shapes in "shape". Python stack frames and annotations are left out.
     */
    private static boolean isOp(String category) {
        return category.equals("cpu_op");
    }

    public List<Op> ops() {
        return ops;
    }

    /** Self time of every op together, ms. */
    public double selfMs() {
        return ops.stream().mapToDouble(Op::selfMs).sum();
    }

    /** Ops run, all names together. */
    public long calls() {
        return ops.stream().mapToLong(Op::calls).sum();
    }

    /** From the first op's start to the last op's end, ms. */
    public double spanMs() {
        return spanMs;
    }

    /** The part of the span covered by no op (time between top-level ops), ms. */
    public double betweenOpsMs() {
        return Math.max(0, spanMs - topLevelMs);
    }

    /**
     * A Markdown table of the {@code top} ops by self time, per training step ({@code steps} steps profiled), with
     * the totals beneath.
     */
    public String table(String title, int top, int steps) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %d steps profiled, per step %.2f ms span, %.2f ms op self time,"
                + " %.2f ms between ops, %.0f ops%n%n", title, steps, spanMs / steps, selfMs() / steps,
                betweenOpsMs() / steps, (double) calls() / steps));
        out.append("| op | calls/step | self ms/step | % of op time | input dims (most time) |\n");
        out.append("|---|---|---|---|---|\n");
        double all = selfMs();
        for (Op op : ops.subList(0, Math.min(top, ops.size()))) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %s |%n", op.name(),
                    (double) op.calls() / steps, op.selfMs() / steps, 100 * op.selfMs() / all, op.shapes()));
        }
        return out.toString();
    }

    /** One op event; {@code children} accumulates its direct children's durations. */
    private static final class Span {
        private final String name;
        private final double ts;
        private final double dur;
        private final String shapes;
        private double children;

        Span(String name, double ts, double dur, String shapes) {
            this.name = name;
            this.ts = ts;
            this.dur = dur;
            this.shapes = shapes;
        }

        double end() {
            return ts + dur;
        }

        double self() {
            return Math.max(0, dur - children);
        }
    }

    /** Accumulates one op name's spans. */
    private static final class Totals {
        private final String name;
        private final Map<String, Double> byShape = new HashMap<>();
        private long calls;
        private double self;

        Totals(String name) {
            this.name = name;
        }

        void add(Span s) {
            calls++;
            self += s.self();
            byShape.merge(s.shapes, s.self(), Double::sum);
        }

        Op op() {
            String shapes = byShape.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse("");
            return new Op(name, calls, self / 1e3, shapes.length() > 60 ? shapes.substring(0, 57) + "..." : shapes);
        }
    }
}
