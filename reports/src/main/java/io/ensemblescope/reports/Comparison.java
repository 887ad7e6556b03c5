package io.ensemblescope.reports;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.MeanStd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The paper's question answered with a study's own numbers: on each headline metric, is BatchEnsemble closer to the
 * single model or to the Deep Ensemble? Rows are found by their method; the section is empty unless the study has a
 * BatchEnsemble and both references.
 */
public final class Comparison {
    private Comparison() {}

    /** A Markdown section, or "" when the study lacks BatchEnsemble, Deep Ensemble or the single model. */
    public static String markdown(StudyResults study) {
        String be = row(study, Method.BATCH_ENSEMBLE);
        String de = row(study, Method.DEEP_ENSEMBLE);
        String single = row(study, Method.SINGLE);
        if (be == null || de == null || single == null) {
            return "";
        }
        StudyAggregates agg = new StudyAggregates(study);
        List<Line> lines = new ArrayList<>();
        firstSplit(agg, SplitKind.IN_DISTRIBUTION).ifPresent(in -> {
            lines.add(line("In-distribution accuracy (" + in + ")", agg, be, de, single,
                    m -> mean(agg.split(m, in, SplitReport::getAccuracy))));
            lines.add(line("In-distribution NLL", agg, be, de, single,
                    m -> mean(agg.split(m, in, SplitReport::getNll))));
            lines.add(line("In-distribution ECE", agg, be, de, single,
                    m -> mean(agg.split(m, in, SplitReport::getEce))));
            lines.add(line("In-distribution disagreement", agg, be, de, single,
                    m -> mean(agg.split(m, in, SplitReport::getDisagreement))));
        });
        List<String> shifted = agg.splits().entrySet().stream().filter(e -> e.getValue() == SplitKind.SHIFTED)
                .map(Map.Entry::getKey).toList();
        if (!shifted.isEmpty()) {
            lines.add(line("Shifted NLL (mean over " + shifted.size() + " shifted splits)", agg, be, de, single,
                    m -> meanOver(shifted, s -> mean(agg.split(m, s, SplitReport::getNll)))));
            lines.add(line("Shifted ECE (mean over shifted splits)", agg, be, de, single,
                    m -> meanOver(shifted, s -> mean(agg.split(m, s, SplitReport::getEce)))));
        }
        for (List<String> pair : agg.oodPairs()) {
            lines.add(line("OOD AUROC, MSP (" + pair.get(1) + ")", agg, be, de, single,
                    m -> mean(agg.ood(m, pair, "msp", o -> o.getAuroc()))));
            lines.add(line("OOD AUROC, mutual information (" + pair.get(1) + ")", agg, be, de, single,
                    m -> mean(agg.ood(m, pair, "mutual_information", o -> o.getAuroc()))));
            lines.add(line("Mutual information = JSD on " + pair.get(1), agg, be, de, single,
                    m -> mean(agg.split(m, pair.get(1), SplitReport::getMutualInformation))));
        }
        StringBuilder md = new StringBuilder("## Is BatchEnsemble a single model? This run's answer\n\n");
        md.append("For each headline metric: the mean over seeds of BatchEnsemble (BE), the single model (S) and the ")
                .append("Deep Ensemble (DE), and whether BE is closer to S or to DE.\n\n")
                .append("| Metric | BE | S | DE | BE closer to |\n|---|---:|---:|---:|---|\n");
        int closerToSingle = 0;
        int counted = 0;
        for (Line l : lines) {
            if (Double.isNaN(l.be) || Double.isNaN(l.single) || Double.isNaN(l.deep)) {
                continue;
            }
            counted++;
            boolean toSingle = Math.abs(l.be - l.single) < Math.abs(l.be - l.deep);
            closerToSingle += toSingle ? 1 : 0;
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %s (Δ %.4f vs %.4f) |%n", l.name,
                    l.be, l.single, l.deep, toSingle ? "single" : "Deep Ensemble", Math.abs(l.be - l.single),
                    Math.abs(l.be - l.deep)));
        }
        agg.diversity(be, true).ifPresent(b -> agg.diversity(de, true).ifPresent(d -> md.append(String.format(
                Locale.ROOT, "%nWeight space: mean pairwise cosine similarity of members' effective weights is %.4f"
                        + " for BatchEnsemble and %.4f for the Deep Ensemble (1 = parallel).%n", b.mean(),
                d.mean()))));
        md.append(String.format(Locale.ROOT, "%n**BatchEnsemble is closer to the single model on %d of %d headline "
                + "metrics**", closerToSingle, counted));
        md.append(closerToSingle * 2 > counted
                ? " — in this run it behaves like a single model, as the paper found.\n"
                : " — in this run it does not simply track the single model.\n");
        return md.toString();
    }

    private record Line(String name, double be, double single, double deep) {}

    private static Line line(String name, StudyAggregates agg, String be, String de, String single,
                             java.util.function.Function<String, Double> value) {
        return new Line(name, value.apply(be), value.apply(single), value.apply(de));
    }

    private static double mean(Optional<MeanStd> v) {
        return v.map(MeanStd::mean).orElse(Double.NaN);
    }

    private static double meanOver(List<String> splits, ToDoubleFunction<String> value) {
        OptionalDouble m = splits.stream().mapToDouble(value).average();
        return m.orElse(Double.NaN);
    }

    private static Optional<String> firstSplit(StudyAggregates agg, SplitKind kind) {
        return agg.splits().entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).findFirst();
    }

    /** The study row whose runs evaluated {@code method}. */
    private static String row(StudyResults study, Method method) {
        return study.methods().entrySet().stream()
                .filter(e -> e.getValue().get(0).evaluation().getMethod() == method)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }
}
