package io.ensemblescope.reports;

import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.math.Conventions;
import io.ensemblescope.metrics.math.MeanStd;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** The paper-style Markdown report: methods as rows, metrics as columns, mean ± std over seeds. */
final class MarkdownReport {
    private static final String MISSING = "—";

    private MarkdownReport() {}

    static String render(StudyResults study, StudyAggregates agg) {
        StringBuilder md = new StringBuilder("# ").append(study.title()).append("\n\n");
        for (String note : study.notes()) {
            md.append("- ").append(note).append('\n');
        }
        if (!study.notes().isEmpty()) {
            md.append('\n');
        }
        md.append("Mean ± sample standard deviation over seeds (seeds per method: ");
        study.methods().forEach((m, runs) -> md.append(m).append(' ').append(runs.size()).append(", "));
        md.setLength(md.length() - 2);
        md.append(").\n\n");
        for (Map.Entry<String, SplitKind> split : agg.splits().entrySet()) {
            md.append("## ").append(split.getKey()).append(" (").append(split.getValue()).append(")\n\n");
            splitTable(md, study, split.getValue() != SplitKind.OOD,
                    (method, c) -> agg.split(method, split.getKey(), c.value));
        }
        CorruptionMeans.groups(agg.splits()).forEach((severity, splits) -> {
            md.append("## CIFAR-10-C mean over corruptions, severity ").append(severity).append(" (SHIFTED)\n\n")
                    .append("Each metric averaged over the ").append(splits.size()).append(" corruptions (")
                    .append(String.join(", ", splits.stream().map(CorruptionMeans::corruption).toList()))
                    .append(") within each seed, then mean ± std over seeds.\n\n");
            splitTable(md, study, true,
                    (method, c) -> CorruptionMeans.mean(study.methods().get(method), splits, c.value));
        });
        for (List<String> pair : agg.oodPairs()) {
            for (String score : agg.scores()) {
                md.append("## OOD: ").append(pair.get(0)).append(" vs ").append(pair.get(1)).append(", score ")
                        .append(score).append("\n\n| Method |");
                for (OodColumn c : OodColumn.values()) {
                    md.append(' ').append(c.header).append(" |");
                }
                md.append("\n|---|").append("---:|".repeat(OodColumn.values().length)).append('\n');
                for (String method : study.methods().keySet()) {
                    md.append("| ").append(method).append(" |");
                    for (OodColumn c : OodColumn.values()) {
                        cell(md, agg.ood(method, pair, score, c.value), 2, 100);
                    }
                    md.append('\n');
                }
                md.append('\n');
            }
        }
        boolean anyDiversity = study.methods().keySet().stream()
                .anyMatch(m -> agg.diversity(m, true).isPresent());
        if (anyDiversity) {
            md.append("## Weight-space diversity\n\n| Method | Mean cosine similarity | Mean normalized L2 |\n"
                    + "|---|---:|---:|\n");
            for (String method : study.methods().keySet()) {
                md.append("| ").append(method).append(" |");
                cell(md, agg.diversity(method, true), 4, 1);
                cell(md, agg.diversity(method, false), 4, 1);
                md.append('\n');
            }
            md.append("\nNormalized L2 = ‖θ_i − θ_j‖ / sqrt(‖θ_i‖·‖θ_j‖), averaged over member pairs.\n");
            study.methods().values().stream().flatMap(List::stream)
                    .filter(r -> r.diversity() != null && !r.diversity().getNote().isEmpty())
                    .map(r -> r.diversity().getNote()).distinct()
                    .forEach(note -> md.append("\n- ").append(note));
            md.append("\n\n");
        }
        if (study.cost() != null) {
            CostSection.markdown(md, study, agg);
        }
        for (ReferenceTable reference : study.references()) {
            reference(md, reference);
        }
        md.append("## Conventions\n\n");
        for (String line : Conventions.TEXT.split("\n")) {
            md.append("- ").append(line).append('\n');
        }
        return md.toString();
    }

    private static void splitTable(StringBuilder md, StudyResults study, boolean labeled,
                                   BiFunction<String, SplitColumn, Optional<MeanStd>> value) {
        StringBuilder header = new StringBuilder("| Method |");
        int columns = 0;
        for (SplitColumn c : SplitColumn.values()) {
            if (labeled || !c.labeledOnly) {
                header.append(' ').append(c.header).append(" |");
                columns++;
            }
        }
        md.append(header).append('\n').append("|---|").append("---:|".repeat(columns)).append('\n');
        for (String method : study.methods().keySet()) {
            md.append("| ").append(method).append(" |");
            for (SplitColumn c : SplitColumn.values()) {
                if (labeled || !c.labeledOnly) {
                    cell(md, value.apply(method, c), c.decimals, c.scale);
                }
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** Someone else's numbers, marked as such (published or measured), printed with the source's precision. */
    private static void reference(StringBuilder md, ReferenceTable table) {
        md.append("## ").append(table.source()).append(", for comparison\n\n")
                .append("These are ").append(table.provenance().phrase()).append(", not this run's");
        if (!table.setting().isEmpty()) {
            md.append("; they were measured at this scale: ").append(table.setting());
        }
        md.append(".\n\n| Split | Method (").append(table.provenance().label()).append(") |");
        table.columns().forEach(c -> md.append(' ').append(c.header()).append(" |"));
        md.append("\n|---|---|").append("---:|".repeat(table.columns().size())).append('\n');
        for (ReferenceTable.Row row : table.rows()) {
            md.append("| ").append(row.split()).append(" | ").append(row.method()).append(" |");
            for (int i = 0; i < row.values().size(); i++) {
                Double v = row.values().get(i);
                md.append(' ').append(v == null ? MISSING : String.format(Locale.ROOT, "%." + table.columns().get(i)
                        .decimals() + "f", v)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void cell(StringBuilder md, Optional<MeanStd> value, int decimals, double scale) {
        md.append(' ').append(value.map(v -> v.format(decimals, scale)).orElse(MISSING)).append(" |");
    }
}
