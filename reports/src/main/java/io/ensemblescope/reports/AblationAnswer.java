package io.ensemblescope.reports;

import io.ensemblescope.reports.AblationTable.Column;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "What makes BatchEnsemble diverse?" answered from an ablation's own numbers: every BatchEnsemble row's OOD mutual
 * information placed on the way from the single model (0 %) to the Deep Ensemble (100 %), knob by knob; which knob
 * moves it most and at what NLL; whether weight-space diversity (cosine) goes with output diversity; and a verdict.
 * Nothing here is a fixed claim: every sentence is chosen and filled by the numbers.
 */
final class AblationAnswer {
    /** Share of the single-to-Deep-Ensemble way in OOD MI from which a row counts as ensemble-like. */
    static final double ENSEMBLE_LIKE = 0.5;

    private final AblationTable table;
    private final Ablation ablation;
    private final double miSingle;
    private final double miDeep;

    AblationAnswer(AblationTable table, Ablation ablation) {
        this.table = table;
        this.ablation = ablation;
        this.miSingle = table.mean(ablation.single(), Column.MI_OOD).orElse(0.0);
        this.miDeep = table.mean(ablation.deepEnsemble(), Column.MI_OOD).orElse(Double.NaN);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## What makes BatchEnsemble diverse? This run's answer\n\n");
        if (!(miDeep > miSingle)) {
            return md.append("The Deep Ensemble's OOD mutual information is not above the single model's here, so"
                    + " there is no scale to place BatchEnsemble on.\n").toString();
        }
        String paper = ablation.reference();
        md.append(String.format(Locale.ROOT, "Output diversity is the members' mutual information (= JSD) on the OOD"
                + " split (%s), placed on the way from the single model (%.4f nats, 0 %%) to the Deep Ensemble"
                + " (%.4f nats, 100 %%).%n%n", table.splits().ood(), miSingle, miDeep));
        md.append(String.format(Locale.ROOT, "- The paper's configuration: OOD MI %s (%s of the way), weight cosine"
                        + " %s (Deep Ensemble %s), NLL %s (single %s, Deep Ensemble %s).%n", mi(paper), share(paper),
                value(paper, Column.WEIGHT_COSINE, 3), value(ablation.deepEnsemble(), Column.WEIGHT_COSINE, 3),
                value(paper, Column.NLL, 4), value(ablation.single(), Column.NLL, 4),
                value(ablation.deepEnsemble(), Column.NLL, 4)));
        for (Ablation.Knob knob : ablation.knobs()) {
            md.append("- **").append(knob.name()).append("**: ");
            List<String> parts = new ArrayList<>();
            knob.settings().forEach((setting, row) -> parts.add(String.format(Locale.ROOT, "%s → MI %s (%s), NLL"
                    + " %s, cosine %s", setting, mi(row), share(row), value(row, Column.NLL, 4),
                    value(row, Column.WEIGHT_COSINE, 3))));
            md.append(String.join("; ", parts)).append(".\n");
        }
        Optional<String> best = ablation.variantRows().stream().filter(r -> !r.equals(paper))
                .filter(r -> table.mean(r, Column.MI_OOD).isPresent())
                .max(Comparator.comparingDouble(r -> table.mean(r, Column.MI_OOD).get()));
        best.ifPresent(b -> md.append(String.format(Locale.ROOT, "- Largest move: **%s** takes OOD MI from %s"
                        + " to %s (%s → %s of the way), with NLL %s → %s.%n", setting(b), mi(paper), mi(b),
                share(paper), share(b), value(paper, Column.NLL, 4), value(b, Column.NLL, 4))));
        correlation().ifPresent(md::append);
        md.append('\n').append(verdict(best.orElse(paper))).append('\n');
        return md.toString();
    }

    /** Spearman's ρ between weight cosine and OOD MI over the BatchEnsemble rows, in words. */
    private Optional<String> correlation() {
        List<String> rows = ablation.variantRows().stream().filter(r -> table.mean(r, Column.WEIGHT_COSINE)
                .isPresent() && table.mean(r, Column.MI_OOD).isPresent()).toList();
        if (rows.size() < 3) {
            return Optional.empty();
        }
        double rho = spearman(rows.stream().mapToDouble(r -> table.mean(r, Column.WEIGHT_COSINE).get()).toArray(),
                rows.stream().mapToDouble(r -> table.mean(r, Column.MI_OOD).get()).toArray());
        String lowest = rows.stream().min(Comparator.comparingDouble(r -> table.mean(r, Column.WEIGHT_COSINE).get()))
                .orElseThrow();
        String strength = Math.abs(rho) >= 0.7 ? "strongly" : Math.abs(rho) >= 0.4 ? "moderately" : "hardly";
        return Optional.of(String.format(Locale.ROOT, "- Weight space against outputs: over the %d BatchEnsemble"
                        + " rows, Spearman's ρ between weight cosine and OOD MI is %.2f — weight-space diversity"
                        + " %s predicts output diversity%s. The lowest weight cosine, %s (%s), gives OOD MI %s (%s of"
                        + " the way).%n", rows.size(), rho, strength,
                rho < 0 ? " (lower cosine, more mutual information)" : rho > 0 ? " (and in the opposite sense)" : "",
                value(lowest, Column.WEIGHT_COSINE, 3), setting(lowest), mi(lowest), share(lowest)));
    }

    /**
     * The rows past {@link #ENSEMBLE_LIKE} of the way, best NLL first: whether one keeps the paper configuration's NLL,
     * else what the best of them costs against the single model and the Deep Ensemble; none: how far the most got.
     */
    private String verdict(String best) {
        String paper = ablation.reference();
        double nllPaper = nll(paper);
        List<String> like = ablation.variantRows().stream().filter(r -> fraction(r) >= ENSEMBLE_LIKE)
                .sorted(Comparator.comparingDouble(this::nll)).toList();
        if (like.isEmpty()) {
            return String.format(Locale.ROOT, "**Verdict: no single knob takes BatchEnsemble past half-way to the"
                    + " Deep Ensemble in OOD mutual information** — the most is %s at %s; in output diversity every"
                    + " BatchEnsemble row here stays closer to the single model.", setting(best), share(best));
        }
        String rows = String.join("; ", like.stream().map(r -> String.format(Locale.ROOT, "%s (%s, NLL %s)",
                setting(r), share(r), format(nll(r), 4))).toList());
        String first = like.get(0);
        if (nll(first) <= nllPaper) {
            return String.format(Locale.ROOT, "**Verdict: %s makes BatchEnsemble ensemble-like in its outputs without"
                    + " a worse NLL** than the paper configuration's (%s). Past half-way: %s.", setting(first),
                    format(nllPaper, 4), rows);
        }
        double single = nll(ablation.single());
        double deep = nll(ablation.deepEnsemble());
        return String.format(Locale.ROOT, "**Verdict: output diversity past half-way to the Deep Ensemble comes only"
                        + " with a worse NLL than the paper configuration's (%s)**: %s. The best of them, %s, is %s the"
                        + " single model's NLL (%s) and %s the Deep Ensemble's (%s): these knobs make the members"
                        + " disagree more, not the ensemble better.", format(nllPaper, 4), rows, setting(first),
                nll(first) < single ? "below" : "not below", format(single, 4),
                nll(first) <= deep ? "at or below" : "above", format(deep, 4));
    }

    private double nll(String row) {
        return table.mean(row, Column.NLL).orElse(Double.NaN);
    }

    private double fraction(String row) {
        return table.mean(row, Column.MI_OOD).map(m -> (m - miSingle) / (miDeep - miSingle)).orElse(Double.NaN);
    }

    private String share(String row) {
        double f = fraction(row);
        return Double.isFinite(f) ? String.format(Locale.ROOT, "%.0f %%", 100 * f) : "—";
    }

    private String mi(String row) {
        return value(row, Column.MI_OOD, 4) + " nats";
    }

    private String value(String row, Column c, int decimals) {
        return table.mean(row, c).map(v -> format(v, decimals)).orElse("—");
    }

    private static String format(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "—";
    }

    /** "knob = setting" of a row. */
    private String setting(String row) {
        for (Ablation.Knob k : ablation.knobs()) {
            for (Map.Entry<String, String> s : k.settings().entrySet()) {
                if (s.getValue().equals(row) && !row.equals(ablation.reference())) {
                    return k.name() + " = " + s.getKey();
                }
            }
        }
        return row;
    }

    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = java.util.Arrays.stream(rx).average().orElse(0);
        double my = java.util.Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Ranks from 1, ties sharing their average rank. */
    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int t = i; t <= j; t++) {
                ranks[order[t]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return ranks;
    }
}
