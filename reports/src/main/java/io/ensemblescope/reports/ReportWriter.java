package io.ensemblescope.reports;

import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.OodScore;
import io.ensemblescope.metrics.math.UncertaintyScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a study: report.json (every seed's report plus the aggregates), report.md (paper-style tables and the
 * conventions) and plots/*.png — reliability diagram per method and labeled split, disagreement heatmap per method,
 * weight cosine-similarity heatmap per method with a diversity report, and, where per-sample scores were kept, OOD
 * score histograms per method and ROC curves per OOD pair and score.
 */
public final class ReportWriter {
    /** The files written. */
    public record Written(Path json, Path markdown, List<Path> plots) {}

    public Written write(StudyResults study, Path dir) throws IOException {
        Path plots = Files.createDirectories(dir.resolve("plots"));
        StudyAggregates agg = new StudyAggregates(study);
        Path json = Files.writeString(dir.resolve("report.json"), StudyJson.render(study, agg));
        Path md = Files.writeString(dir.resolve("report.md"), MarkdownReport.render(study, agg));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<SeedRun>> method : study.methods().entrySet()) {
            written.addAll(methodPlots(method.getKey(), method.getValue(), agg, plots));
        }
        written.addAll(rocPlots(study, plots));
        if (study.cost() != null) {
            written.addAll(costPlots(study, agg, plots));
        }
        return new Written(json, md, written);
    }

    /** NLL, ECE and OOD AUROC against p50 latency at B = 1 and against memory. */
    private List<Path> costPlots(StudyResults study, StudyAggregates agg, Path dir) throws IOException {
        CostSection.Basis basis = CostSection.basis(agg);
        Map<String, MethodCost> methods = new LinkedHashMap<>(study.cost().methods());
        methods.keySet().retainAll(study.methods().keySet());
        java.util.function.Function<String, CostSection.Quality> quality = m -> CostSection.quality(agg, basis, m);
        return List.of(
                ChartFiles.png(CostCharts.qualityVs("Quality vs latency", "p50 latency at B = 1 (ms)", methods,
                        c -> c.batch1().p50() / 1000, quality), dir, "cost-quality-vs-latency"),
                ChartFiles.png(CostCharts.qualityVs("Quality vs memory", "served memory, else weights (MiB)",
                        methods, c -> c.memoryBytes() / (1024.0 * 1024.0), quality), dir, "cost-quality-vs-memory"));
    }

    private List<Path> methodPlots(String method, List<SeedRun> runs, StudyAggregates agg, Path dir)
            throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, SplitKind> split : agg.splits().entrySet()) {
            List<SplitReport> seeds = new ArrayList<>();
            runs.forEach(r -> r.evaluation().getSplitsList().stream()
                    .filter(s -> s.getSplit().getName().equals(split.getKey()) && s.getReliabilityCount() > 0)
                    .findFirst().ifPresent(seeds::add));
            if (!seeds.isEmpty()) {
                out.add(ChartFiles.png(ReliabilityChart.of(method, split.getKey(), seeds), dir,
                        "reliability-" + method + "-" + split.getKey()));
            }
        }
        SeedRun first = runs.get(0);
        int members = first.evaluation().getMembers();
        SplitReport in = first.evaluation().getSplitsList().stream()
                .filter(s -> s.getSplit().getKind() == SplitKind.IN_DISTRIBUTION).findFirst().orElse(null);
        if (in != null && members > 1) {
            out.add(ChartFiles.png(HeatmapChart.of("Disagreement: " + method + " on " + in.getSplit().getName()
                    + " (first seed)", in.getDisagreementMatrixList(), members, 0, 1), dir, "disagreement-" + method));
        }
        DiversityReport diversity = runs.stream().map(SeedRun::diversity).filter(d -> d != null).findFirst()
                .orElse(null);
        if (diversity != null) {
            out.add(ChartFiles.png(HeatmapChart.of("Weight cosine similarity: " + method, diversity.getCosineList(),
                    diversity.getMembers(), -1, 1), dir, "weight-cosine-" + method));
        }
        for (OodReport o : first.evaluation().getOodList()) {
            UncertaintyScores inScores = first.scores().get(o.getInSplit());
            UncertaintyScores ood = first.scores().get(o.getOodSplit());
            if (inScores == null || ood == null) {
                continue;
            }
            for (OodScore score : OodScore.values()) {
                out.add(ChartFiles.png(OodCharts.histogram(method, score.id(), o.getInSplit(), inScores.of(score),
                        o.getOodSplit(), ood.of(score)), dir,
                        "scores-" + method + "-" + o.getOodSplit() + "-" + score.id()));
            }
        }
        return out;
    }

    /** One ROC chart per OOD pair and score, a curve per method from its first seed with kept scores. */
    private List<Path> rocPlots(StudyResults study, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Map<List<String>, Map<OodScore, Map<String, double[][]>>> curves = new LinkedHashMap<>();
        study.methods().forEach((method, runs) -> {
            SeedRun first = runs.get(0);
            for (OodReport o : first.evaluation().getOodList()) {
                UncertaintyScores in = first.scores().get(o.getInSplit());
                UncertaintyScores ood = first.scores().get(o.getOodSplit());
                if (in != null && ood != null) {
                    for (OodScore score : OodScore.values()) {
                        curves.computeIfAbsent(List.of(o.getInSplit(), o.getOodSplit()), p -> new LinkedHashMap<>())
                                .computeIfAbsent(score, s -> new LinkedHashMap<>())
                                .put(method, new double[][] {in.of(score), ood.of(score)});
                    }
                }
            }
        });
        for (Map.Entry<List<String>, Map<OodScore, Map<String, double[][]>>> pair : curves.entrySet()) {
            for (Map.Entry<OodScore, Map<String, double[][]>> score : pair.getValue().entrySet()) {
                out.add(ChartFiles.png(OodCharts.roc(score.getKey().id(), pair.getKey().get(0), pair.getKey().get(1),
                        score.getValue()), dir, "roc-" + pair.getKey().get(1) + "-" + score.getKey().id()));
            }
        }
        return out;
    }
}
