package io.ensemblescope.reports;

import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.MeanStd;
import io.ensemblescope.metrics.math.OodScore;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ablation's numbers: per study row, quality on the in-distribution split, member disagreement in distribution
 * and on the OOD split, mutual information (= JSD) on the OOD and the shifted split, OOD AUROC of the max-softmax and
 * the mutual-information score, weight cosine, parameters and p50 latency at B = 1 (mean ± std over seeds where a
 * row has several).
 */
public final class AblationTable {
    /** The table's columns, in order. */
    public enum Column {
        ACCURACY("Acc (%)", 2, 100), NLL("NLL", 4, 1), ECE("ECE (%)", 2, 100),
        DISAGREEMENT_IN("Disagr. in (%)", 2, 100), DISAGREEMENT_OOD("Disagr. OOD (%)", 2, 100),
        MI_OOD("MI OOD", 4, 1), MI_SHIFTED("MI shifted", 4, 1), AUROC_MSP("AUROC MSP (%)", 2, 100),
        AUROC_MI("AUROC MI (%)", 2, 100), WEIGHT_COSINE("Weight cos", 3, 1), PARAMETERS("Params", 0, 1),
        P50_B1("p50 B=1 (ms)", 3, 1e-3);

        final String header;
        final int decimals;
        final double scale;

        Column(String header, int decimals, double scale) {
            this.header = header;
            this.decimals = decimals;
            this.scale = scale;
        }
    }

    /** Which splits the columns are measured on. */
    public record Splits(String in, String shifted, String ood) {}

    private final Splits splits;
    private final Map<String, Map<Column, MeanStd>> rows = new LinkedHashMap<>();

    AblationTable(StudyResults study) {
        StudyAggregates agg = new StudyAggregates(study);
        this.splits = new Splits(first(agg, SplitKind.IN_DISTRIBUTION), first(agg, SplitKind.SHIFTED),
                first(agg, SplitKind.OOD));
        List<String> pair = List.of(splits.in(), splits.ood());
        for (String row : study.methods().keySet()) {
            Map<Column, MeanStd> v = new EnumMap<>(Column.class);
            put(v, Column.ACCURACY, agg.split(row, splits.in(), SplitReport::getAccuracy));
            put(v, Column.NLL, agg.split(row, splits.in(), SplitReport::getNll));
            put(v, Column.ECE, agg.split(row, splits.in(), SplitReport::getEce));
            put(v, Column.DISAGREEMENT_IN, agg.split(row, splits.in(), SplitReport::getDisagreement));
            put(v, Column.DISAGREEMENT_OOD, agg.split(row, splits.ood(), SplitReport::getDisagreement));
            put(v, Column.MI_OOD, agg.split(row, splits.ood(), SplitReport::getMutualInformation));
            put(v, Column.MI_SHIFTED, agg.split(row, splits.shifted(), SplitReport::getMutualInformation));
            put(v, Column.AUROC_MSP, agg.ood(row, pair, OodScore.MSP.id(), s -> s.getAuroc()));
            put(v, Column.AUROC_MI, agg.ood(row, pair, OodScore.MUTUAL_INFORMATION.id(), s -> s.getAuroc()));
            put(v, Column.WEIGHT_COSINE, agg.diversity(row, true));
            MethodCost cost = study.cost() == null ? null : study.cost().methods().get(row);
            if (cost != null) {
                v.put(Column.PARAMETERS, MeanStd.of(cost.parameters()));
                if (cost.batch1() != null && cost.batch1().requests() > 0) {
                    v.put(Column.P50_B1, MeanStd.of(cost.batch1().p50()));
                }
            }
            rows.put(row, v);
        }
    }

    public Splits splits() {
        return splits;
    }

    /** The mean of a row's column, if measured. */
    public Optional<Double> mean(String row, Column column) {
        return Optional.ofNullable(rows.getOrDefault(row, Map.of()).get(column)).map(MeanStd::mean);
    }

    /** Every row's measured values: row → column → mean ± std. */
    public Map<String, Map<Column, MeanStd>> rows() {
        return java.util.Collections.unmodifiableMap(rows);
    }

    String markdown(List<String> order) {
        StringBuilder md = new StringBuilder("| Row |");
        for (Column c : Column.values()) {
            md.append(' ').append(c.header).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(Column.values().length)).append('\n');
        for (String row : order) {
            md.append("| ").append(row).append(" |");
            for (Column c : Column.values()) {
                MeanStd m = rows.get(row).get(c);
                md.append(' ').append(m == null ? "—" : format(m, c)).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String format(MeanStd m, Column c) {
        if (c == Column.PARAMETERS) {
            return String.format(Locale.ROOT, "%,.0f", m.mean());
        }
        return m.n() > 1 ? m.format(c.decimals, c.scale)
                : String.format(Locale.ROOT, "%." + c.decimals + "f", m.mean() * c.scale);
    }

    private static void put(Map<Column, MeanStd> v, Column c, Optional<MeanStd> value) {
        value.filter(m -> Double.isFinite(m.mean())).ifPresent(m -> v.put(c, m));
    }

    private static String first(StudyAggregates agg, SplitKind kind) {
        return agg.splits().entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the ablation needs a " + kind
                        + " split"));
    }
}
