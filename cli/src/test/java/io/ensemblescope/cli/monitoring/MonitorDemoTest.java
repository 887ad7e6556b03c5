package io.ensemblescope.cli.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.cli.Escope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code escope monitor-demo} as a user runs it, on an empty store: it trains the quick BatchEnsemble, writes its
 * profile beside it, and its printed gauges (read from the live /metrics) are stable on held-out MNIST and DRIFT on
 * every statistic for rotated digits and Fashion-MNIST. Slow: the training takes a minute or two.
 */
@Tag("slow")
class MonitorDemoTest {
    @TempDir
    Path store;

    private record Run(int exit, String out, String err) {}

    private static Run escope(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Escope.commandLine();
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    private static long count(String text, String word) {
        return text.lines().filter(l -> l.trim().endsWith(word)).count();
    }

    @Test
    void demoShowsDriftGaugesRiseAfterTheInDistributionPhase() throws Exception {
        Run bad = escope("monitor-demo", "--samples", "5", "--store", store.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--samples must be in 100..5000, got 5"), bad.err());

        Run run = escope("monitor-demo", "--store", store.toString());
        assertEquals(0, run.exit(), run.err());
        String out = run.out();
        String phase1 = out.substring(out.indexOf("phase 1/3"), out.indexOf("phase 2/3"));
        String phase2 = out.substring(out.indexOf("phase 2/3"), out.indexOf("phase 3/3"));
        String phase3 = out.substring(out.indexOf("phase 3/3"), out.indexOf("What the Grafana"));
        assertEquals(4, count(phase1, "stable"), phase1);
        assertEquals(4, count(phase2, "DRIFT"), phase2);
        assertEquals(4, count(phase3, "DRIFT"), phase3);
        assertTrue(phase1.contains("rolling calibration over 1000 labeled samples"), phase1);
        try (var files = Files.walk(store)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().equals("reference-profile.json")).count());
        }
    }
}
