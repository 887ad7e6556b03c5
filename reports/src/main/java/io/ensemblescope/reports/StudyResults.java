package io.ensemblescope.reports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study: per method (in table order), the runs of its seeds; notes on the data behind the numbers (e.g. which OOD
 * set stands in for SVHN, the run's scale); published reference numbers to print beside this run's; and what each
 * method costs to serve (null when not measured).
 */
public record StudyResults(String title, Map<String, List<SeedRun>> methods, List<String> notes,
                           List<ReferenceTable> references, CostTable cost) {
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
        notes = notes == null ? List.of() : List.copyOf(notes);
        references = references == null ? List.of() : List.copyOf(references);
    }

    public StudyResults(String title, Map<String, List<SeedRun>> methods) {
        this(title, methods, List.of(), List.of(), null);
    }

    public StudyResults withNotes(List<String> newNotes) {
        return new StudyResults(title, methods, newNotes, references, cost);
    }

    public StudyResults withReferences(List<ReferenceTable> newReferences) {
        return new StudyResults(title, methods, notes, newReferences, cost);
    }

    public StudyResults withCost(CostTable newCost) {
        return new StudyResults(title, methods, notes, references, newCost);
    }
}
