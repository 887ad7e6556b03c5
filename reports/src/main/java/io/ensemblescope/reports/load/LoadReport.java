package io.ensemblescope.reports.load;

import java.util.List;
import java.util.Map;

/**
 * A load test: what ran against what ({@code setup}: command, target, date, machine and its load average, one
 * "key: value" entry each, in order), the memory of each model when the server ran in-process, and every run.
 */
public record LoadReport(String title, Map<String, String> setup, List<ModelMemory> memory,
                         List<LoadResult> results) {
    public LoadReport {
        setup = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setup));
        memory = List.copyOf(memory);
        results = List.copyOf(results);
    }
}
