package io.ensemblescope.reports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cost section: how it was measured ({@code notes}: machine, load, method) and each method's cost, keyed by the
 * study's method labels.
 */
public record CostTable(List<String> notes, Map<String, MethodCost> methods) {
    public CostTable {
        notes = List.copyOf(notes);
        methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    }
}
