package io.ensemblescope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.DiversityReports;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.evaluation.EvaluationSession;
import io.ensemblescope.metrics.math.MeanStd;
import io.ensemblescope.testing.RandomProbabilities;
import io.ensemblescope.metrics.math.WeightDiversity;
import io.ensemblescope.metrics.service.Chunks;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final int K = 4;
    private static final int C = 10;

    private static SeedRun seed(Random rnd, String method) {
        EvaluationSession session = new EvaluationSession(EvaluationLimits.DEFAULT);
        session.accept(Chunks.chunk(Chunks.split(SplitKind.IN_DISTRIBUTION, "mnist-test"),
                RandomProbabilities.members(rnd, K, 300, C), K, 300, C, RandomProbabilities.labels(rnd, 300, C)));
        session.accept(Chunks.chunk(Chunks.split(SplitKind.SHIFTED, "rotate-60"),
                RandomProbabilities.members(rnd, K, 200, C), K, 200, C, RandomProbabilities.labels(rnd, 200, C)));
        session.accept(Chunks.chunk(Chunks.split(SplitKind.OOD, "fashion-mnist"),
                RandomProbabilities.members(rnd, K, 250, C), K, 250, C, null));
        EvaluationReport report = session.report();
        List<Map<String, float[]>> members = new ArrayList<>();
        for (int i = 0; i < K; i++) {
            Map<String, float[]> layers = new LinkedHashMap<>();
            float[] w = new float[50];
            for (int j = 0; j < w.length; j++) {
                w[j] = (float) rnd.nextGaussian();
            }
            layers.put("fc1.weight", w);
            layers.put("fc1.bias", new float[] {(float) rnd.nextGaussian(), 1f});
            members.add(layers);
        }
        DiversityReport diversity = DiversityReports.of(Chunks.MODEL, Method.DEEP_ENSEMBLE,
                WeightDiversity.of(members), WeightDiversity.DEEP_ENSEMBLE_NOTE);
        return new SeedRun(report, diversity, session.scores());
    }

    @Test
    void writesJsonMarkdownAndPlots(@TempDir Path dir) throws Exception {
        Random rnd = new Random(8);
        Map<String, List<SeedRun>> methods = new LinkedHashMap<>();
        methods.put("Deep Ensemble", List.of(seed(rnd, "de"), seed(rnd, "de")));
        methods.put("BatchEnsemble", List.of(seed(rnd, "be"), seed(rnd, "be"), seed(rnd, "be")));
        StudyResults study = new StudyResults("MNIST study", methods);

        ReportWriter.Written written = new ReportWriter().write(study, dir);

        // 2 methods × (2 reliability + disagreement + weight cosine + 3 histograms) + 3 ROC charts.
        assertEquals(2 * 7 + 3, written.plots().size(), written.plots().toString());
        for (Path png : written.plots()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(640, image.getWidth(), png.toString());
            assertEquals(480, image.getHeight());
        }

        double[] acc = methods.get("BatchEnsemble").stream()
                .mapToDouble(r -> r.evaluation().getSplits(0).getAccuracy()).toArray();
        MeanStd expected = MeanStd.of(acc);
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        JsonNode a = json.at("/methods/BatchEnsemble/aggregate/splits/mnist-test/accuracy");
        assertEquals(expected.mean(), a.get("mean").asDouble(), 0);
        assertEquals(expected.std(), a.get("std").asDouble(), 0);
        assertEquals(3, a.get("n").asInt());
        assertEquals(3, json.at("/methods/BatchEnsemble/seeds").size());
        assertTrue(json.at("/methods/Deep Ensemble/aggregate/splits/fashion-mnist/accuracy").isMissingNode(),
                "no accuracy for an unlabeled split");
        double auroc = methods.get("Deep Ensemble").stream().mapToDouble(r -> r.evaluation().getOod(0).getScores(2)
                .getAuroc()).average().orElseThrow();
        JsonNode ood = json.at("/methods/Deep Ensemble/aggregate/ood/2");
        assertEquals("mutual_information", ood.get("score").asText());
        assertEquals(auroc, ood.at("/auroc/mean").asDouble(), 1e-15);

        String md = Files.readString(written.markdown());
        assertTrue(md.contains("## mnist-test (IN_DISTRIBUTION)"));
        assertTrue(md.contains("| Method | Acc (%) | NLL |"));
        assertTrue(md.contains("| BatchEnsemble | " + expected.format(2, 100) + " |"), md);
        assertTrue(md.contains("## OOD: mnist-test vs fashion-mnist, score mutual_information"));
        assertTrue(md.contains("## Weight-space diversity"));
        assertTrue(md.contains(WeightDiversity.DEEP_ENSEMBLE_NOTE));
        assertTrue(md.contains("## Conventions") && md.contains("scikit-learn"));
        // The OOD split's table has no label-based columns.
        String oodSection = md.substring(md.indexOf("## fashion-mnist (OOD)"), md.indexOf("## OOD:"));
        assertTrue(!oodSection.contains("Acc (%)") && oodSection.contains("MI = JSD"), oodSection);
    }

    @Test
    void plotsWithoutKeptScoresSkipOnlyHistogramsAndRoc(@TempDir Path dir) throws Exception {
        SeedRun full = seed(new Random(3), "x");
        SeedRun remote = new SeedRun(full.evaluation());
        ReportWriter.Written written = new ReportWriter().write(new StudyResults(null,
                Map.of("Single", List.of(remote))), dir);
        // 2 reliability diagrams and a disagreement heatmap; no weight, histogram or ROC plots.
        assertEquals(3, written.plots().size(), written.plots().toString());
    }
}
