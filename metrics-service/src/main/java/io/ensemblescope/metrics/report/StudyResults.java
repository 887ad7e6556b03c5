package io.ensemblescope.metrics.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A study: per method (in table order), the runs of its seeds. */
public record StudyResults(String title, Map<String, List<SeedRun>> methods) {
    public StudyResults {
        if (methods == null || methods.isEmpty()) {
            throw new IllegalArgumentException("methods: a study needs at least one method");
        }
        Map<String, List<SeedRun>> copy = new LinkedHashMap<>();
        methods.forEach((name, runs) -> {
            if (runs == null || runs.isEmpty()) {
                throw new IllegalArgumentException("methods." + name + ": needs at least one seed");
            }
            copy.put(name, List.copyOf(runs));
        });
        methods = java.util.Collections.unmodifiableMap(copy);
        title = title == null ? "EnsembleScope study" : title;
    }
}
