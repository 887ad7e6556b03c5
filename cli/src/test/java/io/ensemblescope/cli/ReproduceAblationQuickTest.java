package io.ensemblescope.cli;

import static io.ensemblescope.cli.EscopeRun.escope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escope reproduce --study mnist-ablation --quick} as a user runs it (the three services in-process over real
 * gRPC): the ablation's table, plot and answer are written, and its numbers behave as the architecture and the
 * knobs dictate — parameter counts by rank, random-sign fast weights far less aligned than N(1, 0.5²) ones, Deep
 * Ensemble members less aligned than BatchEnsemble's, no diversity in a single model.
 */
class ReproduceAblationQuickTest {
    /** Σ (in + out) over the MLP 784-64-32-16-10's four layers: r and s of one member at rank 1. */
    private static final long FAST_WEIGHTS_PER_MEMBER_AND_RANK = (784 + 64) + (64 + 32) + (32 + 16) + (16 + 10);
    private static final int K = 4;
    private static final String PAPER = "BE paper (rank 1, N(1, 0.5²), member 0 plain, tiled)";

    @TempDir
    Path store;
    @TempDir
    Path out;

    @Test
    void quickAblationWritesTableAnswerAndPlotWithNumbersThatFollowTheKnobs() throws Exception {
        EscopeRun run = escope("reproduce", "--study", "mnist-ablation", "--quick", "--store", store.toString(),
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());

        JsonNode rows = new ObjectMapper().readTree(out.resolve("ablation.json").toFile()).get("rows");
        assertEquals(12, rows.size(), rows.toString());
        assertEquals(K * 3 * FAST_WEIGHTS_PER_MEMBER_AND_RANK, mean(rows, "BE rank 4", "parameters")
                - mean(rows, PAPER, "parameters"), 0.0, "rank 4 holds 3 more rank-one terms per member and layer");
        assertEquals(K * FAST_WEIGHTS_PER_MEMBER_AND_RANK, mean(rows, "BE rank 2", "parameters")
                - mean(rows, PAPER, "parameters"), 0.0);
        assertEquals(mean(rows, PAPER, "parameters"), mean(rows, "BE init ±1", "parameters"), 0.0,
                "the initialisation changes no count");
        assertEquals(K * mean(rows, "Single", "parameters"), mean(rows, "Deep Ensemble (k=4)", "parameters"), 0.0);

        double paperCosine = mean(rows, PAPER, "weight_cosine");
        assertTrue(mean(rows, "BE init ±1", "weight_cosine") < paperCosine - 0.3,
                "random signs make members' weights far less aligned than N(1, 0.5²): " + rows);
        assertTrue(mean(rows, "Deep Ensemble (k=4)", "weight_cosine") < paperCosine,
                "independently trained members are less aligned than BatchEnsemble's");
        assertTrue(mean(rows, "BE init N(1, 0.1²)", "weight_cosine") > paperCosine,
                "a narrower initialisation keeps members closer together");
        assertEquals(0.0, mean(rows, "Single", "mi_ood"), 0.0, "one member: no mutual information");
        assertTrue(mean(rows, "Deep Ensemble (k=4)", "mi_ood") > 0);
        assertFalse(rows.get("Single").has("weight_cosine"), "no member weights to compare");
        rows.fields().forEachRemaining(r -> assertTrue(r.getValue().get("p50_b1").get("mean").asDouble() > 0,
                r.getKey() + " latency measured"));

        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("| " + PAPER + " |") && md.contains("| BE fast-weight lr ×10 |"), md);
        assertTrue(md.contains("This run's answer") && md.contains("**Verdict:"), md);
        // The answer quotes the table's own numbers.
        assertTrue(md.contains(String.format(Locale.ROOT, "Deep Ensemble (%.4f nats, 100 %%)",
                mean(rows, "Deep Ensemble (k=4)", "mi_ood"))), md);
        assertTrue(md.contains(String.format(Locale.ROOT, "weight cosine %.3f", paperCosine)), md);
        assertFalse(md.contains("NaN"));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Ablation: what makes BatchEnsemble diverse?"), "in the study report too");

        BufferedImage plot = ImageIO.read(out.resolve("plots").resolve("ablation-diversity-vs-nll.png").toFile());
        assertNotNull(plot);
        assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100);
    }

    private static double mean(JsonNode rows, String row, String column) {
        JsonNode r = rows.get(row);
        assertNotNull(r, row);
        assertNotNull(r.get(column), row + " " + column + ": " + r);
        return r.get(column).get("mean").asDouble();
    }
}
