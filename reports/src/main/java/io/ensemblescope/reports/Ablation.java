package io.ensemblescope.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an ablation study's rows relate: the two reference rows (single model, Deep Ensemble), the configuration every
 * knob is swept from, and each knob with its settings, each setting naming the study row that trained it (the
 * reference configuration's own setting names the reference row).
 *
 * @param single row label of the single model
 * @param deepEnsemble row label of the Deep Ensemble
 * @param reference row label of the configuration the knobs are swept from
 * @param knobs the knobs, in table order
 */
public record Ablation(String single, String deepEnsemble, String reference, List<Knob> knobs) {
    /** One knob: its name and, per setting (in sweep order), the row label that trained it. */
    public record Knob(String name, Map<String, String> settings) {
        public Knob {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    public Ablation {
        knobs = List.copyOf(knobs);
    }

    /** The reference row first, then every other row a knob names, in knob order, each once. */
    public List<String> variantRows() {
        Set<String> rows = new LinkedHashSet<>();
        rows.add(reference);
        knobs.forEach(k -> rows.addAll(k.settings().values()));
        return new ArrayList<>(rows);
    }
}
