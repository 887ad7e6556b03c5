package io.ensemblescope.deploy.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Grafana dashboard and docs/KUBERNETES.md read from Prometheus, checked against scrapes of the running
 * services: every metric name exists, every label a matcher or a {@code by (…)} names exists on it, and every literal
 * matcher value occurs. Labels Prometheus itself attaches to a target (namespace, pod, …) are not the services'.
 */
final class MetricContract {
    /** Target labels added at scrape time by the ServiceMonitor / pod discovery, never exported by the services. */
    static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "instance", "job", "container", "endpoint");
    /**
     * Uncertainty-monitoring series exist only while a model is loaded with traffic (the quick study unloads its
     * models), with a reference profile (drift) or with outcome feedback; DashboardSeriesTest checks every one of them
     * against a monitored server that has all three.
     */
    private static final Pattern CONDITIONAL = Pattern.compile("inference_(uncertainty|drift|outcomes)_[a-z_]+");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("by\\s*\\(([^)]*)\\)\\s*\\(\\s*rate\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** metric name → label name → values seen. */
    private final Map<String, Map<String, Set<String>>> series = new HashMap<>();

    void add(String exposition) {
        for (String line : exposition.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, Set<String>> labels = series.computeIfAbsent(m.group(1), k -> new HashMap<>());
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.computeIfAbsent(l.group(1), k -> new LinkedHashSet<>()).add(l.group(2));
                }
            }
        }
    }

    /** The dashboard's queries (panel targets and template variables). */
    static List<String> dashboardQueries(Path dashboard) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(dashboard));
        List<String> queries = new ArrayList<>();
        root.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        root.path("templating").path("list").forEach(v -> {
            String q = v.path("query").isObject() ? v.path("query").path("query").asText() : "";
            Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(q);
            if (m.find()) {
                queries.add(m.group(1) + "{}");
            }
        });
        return queries;
    }

    /** Backticked metric names in the "metric" column of the docs' metric table. */
    static List<String> documentedMetrics(Path doc, String heading) throws IOException {
        String text = Files.readString(doc);
        int at = text.indexOf(heading);
        if (at < 0) {
            throw new AssertionError(doc + " has no section " + heading);
        }
        List<String> names = new ArrayList<>();
        for (String line : text.substring(at).lines().toList()) {
            Matcher m = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)`").matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Problems with {@code query}: unknown metrics, labels or literal values. */
    List<String> check(String query) {
        List<String> problems = new ArrayList<>();
        Matcher s = SELECTOR.matcher(query);
        while (s.find()) {
            String metric = s.group(1);
            Map<String, Set<String>> labels = series.get(metric);
            if (labels == null && CONDITIONAL.matcher(metric).matches()) {
                continue;
            }
            if (labels == null) {
                problems.add("no metric " + metric + " (in " + query + ")");
                continue;
            }
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                String label = m.group(1);
                if (TARGET_LABELS.contains(label)) {
                    continue;
                }
                if (!labels.containsKey(label)) {
                    problems.add(metric + " has no label " + label + " (labels " + labels.keySet() + ")");
                } else if (m.group(2).equals("=") && !m.group(3).startsWith("$")
                        && !labels.get(label).contains(m.group(3))) {
                    problems.add(metric + "{" + label + "=\"" + m.group(3) + "\"} never occurs");
                }
            }
        }
        Matcher by = BY.matcher(query);
        while (by.find()) {
            Map<String, Set<String>> labels = series.getOrDefault(by.group(2), Map.of());
            for (String label : by.group(1).split(",")) {
                String l = label.trim();
                if (!l.isEmpty() && !TARGET_LABELS.contains(l) && !labels.containsKey(l)) {
                    problems.add(by.group(2) + " has no label " + l + " to group by");
                }
            }
        }
        return problems;
    }

    /** Whether {@code family} is exported: as a sample name, or as a histogram's or summary's {@code _count}. */
    boolean has(String family) {
        return series.containsKey(family) || series.containsKey(family + "_count");
    }
}
