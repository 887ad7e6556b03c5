package io.ensemblescope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.metrics.evaluation.EvaluationSession;
import io.ensemblescope.metrics.math.MeanStd;
import io.ensemblescope.testing.RandomProbabilities;
import io.ensemblescope.metrics.service.Chunks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CIFAR-10-C mean block, study notes and published reference tables in report.md and report.json. */
class CorruptionMeansAndReferenceTest {
    private static final int K = 2;
    private static final int C = 10;
    private static final List<String> CORRUPTED = List.of("cifar10c-fog-5", "cifar10c-snow-5", "cifar10c-pixelate-5");

    private static SeedRun seed(Random rnd) {
        EvaluationSession session = new EvaluationSession(EvaluationLimits.DEFAULT);
        labeled(session, rnd, SplitKind.IN_DISTRIBUTION, "cifar10-test");
        for (String split : CORRUPTED) {
            labeled(session, rnd, SplitKind.SHIFTED, split);
        }
        labeled(session, rnd, SplitKind.SHIFTED, "cifar10c-fog-3"); // a lone severity gets no mean block
        session.accept(Chunks.chunk(Chunks.split(SplitKind.OOD, "fashion-mnist-32"),
                RandomProbabilities.members(rnd, K, 80, C), K, 80, C, null));
        return new SeedRun(session.report());
    }

    private static void labeled(EvaluationSession session, Random rnd, SplitKind kind, String name) {
        session.accept(Chunks.chunk(Chunks.split(kind, name), RandomProbabilities.members(rnd, K, 60, C), K, 60, C,
                RandomProbabilities.labels(rnd, 60, C)));
    }

    private static StudyResults study() {
        Random rnd = new Random(21);
        Map<String, List<SeedRun>> methods = new LinkedHashMap<>();
        methods.put("Deep Ensemble (k=2)", List.of(seed(rnd), seed(rnd)));
        methods.put("BatchEnsemble (k=2)", List.of(seed(rnd), seed(rnd), seed(rnd)));
        ReferenceTable paper = new ReferenceTable("The paper's numbers (arXiv 2601.16936)",
                "ResNet-18, 75 epochs, full CIFAR-10", List.of(new ReferenceTable.Column("Acc (%)", 1),
                        new ReferenceTable.Column("NLL", 3), new ReferenceTable.Column("ECE (%)", 1)),
                List.of(new ReferenceTable.Row("CIFAR-10", "Single", List.of(94.1, 0.010, 3.4)),
                        new ReferenceTable.Row("CIFAR-10-C sev. 5", "Deep Ensemble",
                                Arrays.asList(57.5, 1.682, null))));
        return new StudyResults("CIFAR study", methods)
                .withNotes(List.of("OOD set: Fashion-MNIST-32.", "Scale: smoke."))
                .withReferences(List.of(paper));
    }

    /** Per seed: the mean over the corruptions; then mean ± std over seeds, computed by hand. */
    private static MeanStd expected(List<SeedRun> runs, java.util.function.ToDoubleFunction<SplitReport> metric) {
        double[] perSeed = runs.stream().mapToDouble(r -> r.evaluation().getSplitsList().stream()
                .filter(s -> CORRUPTED.contains(s.getSplit().getName())).mapToDouble(metric).average()
                .orElseThrow()).toArray();
        return MeanStd.of(perSeed);
    }

    @Test
    void markdownHasNotesCorruptionMeansAndThePapersNumbersMarkedAsSuch() {
        StudyResults study = study();
        String md = MarkdownReport.render(study, new StudyAggregates(study));
        assertTrue(md.startsWith("# CIFAR study\n\n- OOD set: Fashion-MNIST-32.\n- Scale: smoke.\n"), md);
        int block = md.indexOf("## CIFAR-10-C mean over corruptions, severity 5 (SHIFTED)");
        assertTrue(block > md.indexOf("## cifar10c-snow-5 (SHIFTED)"), md);
        assertTrue(md.contains("averaged over the 3 corruptions (fog, pixelate, snow) within each seed"), md);
        assertFalse(md.contains("severity 3 (SHIFTED)"), "one corruption at severity 3 is not a mean");
        List<SeedRun> be = study.methods().get("BatchEnsemble (k=2)");
        MeanStd acc = expected(be, SplitReport::getAccuracy);
        MeanStd nll = expected(be, SplitReport::getNll);
        String blockText = md.substring(block, md.indexOf("## OOD:"));
        assertTrue(blockText.contains("| BatchEnsemble (k=2) | " + acc.format(2, 100) + " | " + nll.format(4, 1)
                + " |"), blockText);
        String paper = md.substring(md.indexOf("## The paper's numbers (arXiv 2601.16936), for comparison"));
        assertTrue(paper.contains("These are the published numbers, not this run's; they were measured at this"
                + " scale: ResNet-18, 75 epochs, full CIFAR-10."), paper);
        assertTrue(paper.contains("| CIFAR-10 | Single | 94.1 | 0.010 | 3.4 |"), paper);
        assertTrue(paper.contains("| CIFAR-10-C sev. 5 | Deep Ensemble | 57.5 | 1.682 | — |"), paper);
        assertTrue(paper.indexOf("## Conventions") > 0, "conventions stay last");
    }

    @Test
    void jsonCarriesTheCorruptionMeansNotesAndReferences() throws Exception {
        StudyResults study = study();
        JsonNode json = new ObjectMapper().readTree(StudyJson.render(study, new StudyAggregates(study)));
        List<SeedRun> de = study.methods().get("Deep Ensemble (k=2)");
        JsonNode mean = json.at("/methods/Deep Ensemble (k=2)/aggregate/cifar10c_mean/severity_5");
        assertEquals(3, mean.get("corruptions").size());
        assertEquals(expected(de, SplitReport::getEce).mean(), mean.at("/ece/mean").asDouble(), 1e-12);
        assertEquals(2, mean.at("/ece/n").asInt());
        assertEquals("Scale: smoke.", json.at("/notes/1").asText());
        assertEquals(94.1, json.at("/references/0/rows/0/values/0").asDouble(), 0);
        assertTrue(json.at("/references/0/rows/1/values/2").isNull());
    }

    @Test
    void seedsMissingACorruptionAreLeftOutOfTheMeanAndBadReferencesAreRejected() {
        SeedRun full = seed(new Random(4));
        EvaluationReport partial = full.evaluation().toBuilder().removeSplits(2).build();
        assertEquals(1, CorruptionMeans.mean(List.of(full, new SeedRun(partial)), CORRUPTED,
                SplitReport::getAccuracy).orElseThrow().n());
        List<ReferenceTable.Column> one = List.of(new ReferenceTable.Column("Acc", 1));
        assertThrows(IllegalArgumentException.class, () -> new ReferenceTable("paper", "", one,
                List.of(new ReferenceTable.Row("CIFAR-10", "Single", List.of(1.0, 2.0)))));
    }
}
