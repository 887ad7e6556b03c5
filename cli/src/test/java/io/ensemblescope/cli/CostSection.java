package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a quick MNIST study's Cost section must hold, in process ({@code ReproduceQuickTest}) or in a cluster. */
public final class CostSection {
    private CostSection() {}

    /**
     * Every method's cost measured; parameters as the architecture dictates; quality-vs-cost plots written.
     *
     * @param dir the report directory (report.md, report.json, plots/)
     * @param inProcess whether the study ran its services in process (only then is served memory measured)
     */
    public static void assertMeasured(Path dir, boolean inProcess) throws IOException {
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Cost") && md.contains("Quality for the price"), "the Cost section");
        JsonNode cost = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("cost").get("methods");
        assertEquals(4, cost.size(), cost.toString());
        for (JsonNode m : cost) {
            assertTrue(m.get("flops_per_sample").asDouble() > 0 && m.get("weight_bytes").asLong() > 0, m.toString());
            for (String batch : List.of("batch1", "batch32")) {
                JsonNode l = m.get(batch);
                assertTrue(l.get("requests").asLong() > 0 && l.get("p50").asDouble() > 0
                        && l.get("p99").asDouble() >= l.get("p50").asDouble(), batch + " " + m);
            }
            assertTrue(m.get("peak_samples_per_second").asDouble() > 0, m.toString());
            assertEquals(inProcess, m.get("served_bytes").isNumber(), "served memory measured in-process only");
        }
        long single = cost.get("Single").get("parameters").asLong();
        assertEquals(4 * single, cost.get("Deep Ensemble (k=4)").get("parameters").asLong());
        assertEquals(single, cost.get("MC Dropout (T=8)").get("parameters").asLong());
        assertTrue(cost.get("BatchEnsemble (k=4)").get("parameters").asLong() < 2 * single);
        for (String plot : List.of("cost-quality-vs-latency.png", "cost-quality-vs-memory.png")) {
            assertTrue(Files.isRegularFile(dir.resolve("plots").resolve(plot)), plot);
        }
    }
}
