package io.ensemblescope.datasets.corrupt;

import java.util.List;
import java.util.Map;

/**
 * What a generation run produced: the corruptions generated (in order) and the ones skipped, with the reason (e.g.
 * frost without a texture directory).
 */
public record GenerationReport(List<String> generated, Map<String, String> skipped) {
    public GenerationReport {
        generated = List.copyOf(generated);
        skipped = Map.copyOf(skipped);
    }
}
