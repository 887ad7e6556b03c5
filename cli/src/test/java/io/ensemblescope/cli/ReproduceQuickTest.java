package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.ensemblescope.cli.EscopeRun.escope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.rpc.security.ServerSecurity;
import io.ensemblescope.testing.TestPki;
import io.ensemblescope.testing.TestTokens;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job as a user runs it: {@code escope reproduce --quick} in-process, then against services started as
 * {@code escope serve all} does with TLS and bearer tokens (with {@code models}, {@code train} and {@code evaluate}
 * over the same TLS), and the one-line errors for wrong flags, missing or insufficient tokens, and unreachable
 * services.
 */
class ReproduceQuickTest {
    // Per test: no test depends on another's store or on the order they run in.
    @TempDir
    Path store;
    @TempDir
    Path reports;

    /** The in-process run trains; the run against running services then finds the same checkpoints. */
    @Test
    void quickReproduceWritesAReportInProcessThenReusesItsCheckpointsAgainstRunningServices() throws Exception {
        quickReproduceWritesAReportWithFourMethodsAndPlots();
        reproduceAgainstRunningServicesOverTlsWithTokensReusesCheckpointsAndWritesTheSameKindOfReport();
    }

    private void quickReproduceWritesAReportWithFourMethodsAndPlots() throws Exception {
        Path dir = reports.resolve("in-process");
        EscopeRun run = escope("reproduce", "--quick", "--store", store.toString(), "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        String md = Files.readString(dir.resolve("report.md"));
        for (String method : List.of("Single", "MC Dropout", "Deep Ensemble (k=4)", "BatchEnsemble (k=4)")) {
            assertTrue(md.contains("| " + method), method + " row in the table");
        }
        assertTrue(md.contains("This run's answer"), "the comparison section");
        assertTrue(md.contains("Configuration to rerun"));
        assertTrue(md.contains("These are reference measurements of an independent implementation, not this run's"),
                "the MNIST reference measurements, marked as such");
        assertFalse(md.contains("NaN"), "finite metrics");

        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertNotNull(json);
        String text = json.toString();
        assertFalse(text.contains("NaN") || text.contains("Infinity"), "finite metrics in JSON");

        // Disagreement in distribution: 0 for the single model, > 0 for the Deep Ensemble.
        assertEquals(0.0, disagreement(md, "Single"), 0.0);
        assertTrue(disagreement(md, "Deep Ensemble (k=4)") > 0);

        List<Path> plots;
        try (Stream<Path> s = Files.walk(dir)) {
            plots = s.filter(p -> p.toString().endsWith(".png")).toList();
        }
        assertTrue(plots.size() >= 4, "plots written: " + plots);
        for (Path p : plots) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, p + " decodes");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
        }
        CostSection.assertMeasured(dir, true);
    }

    /** The "Disagr. (%)" cell of a method's row in the first (in-distribution) table. */
    private static double disagreement(String md, String method) {
        String[] lines = md.split("\n");
        int column = -1;
        for (String line : lines) {
            if (line.startsWith("| Method |") && line.contains("Disagr.")) {
                String[] cells = line.split("\\|");
                for (int i = 0; i < cells.length; i++) {
                    if (cells[i].contains("Disagr.")) {
                        column = i;
                    }
                }
            } else if (column > 0 && line.startsWith("| " + method + " |")) {
                return Double.parseDouble(line.split("\\|")[column].trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no row for " + method);
    }

    private void reproduceAgainstRunningServicesOverTlsWithTokensReusesCheckpointsAndWritesTheSameKindOfReport()
            throws Exception {
        // The services as `escope serve all` starts them with TLS and tokens, certificates made here.
        Path pki = Files.createDirectories(reports.resolve("pki"));
        TestPki ca = TestPki.create(pki, "reproduce-test");
        TestPki.Issued cert = ca.server("services", "localhost", "127.0.0.1");
        TestTokens tokens = TestTokens.write(pki);
        Path adminToken = tokens.admin();
        Path predictToken = tokens.predict();
        ServeAllCommand serveAll = (ServeAllCommand) Escope.commandLine().parseArgs("serve", "all", "--store",
                store.toString(), "--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString(),
                "--auth-tokens", tokens.file().toString()).subcommand().subcommand().commandSpec()
                .userObject();
        try (ServerSecurity security = serveAll.security.resolve();
             LocalServices services = LocalServices.start(store, "cpu", new int[] {0, 0, 0}, new int[] {0, 0, 0},
                     io.ensemblescope.datasets.DataDirectories.NONE, security, true)) {
            for (String line : services.describe().split("\n")) {
                assertTrue(line.contains(" grpcs 127.0.0.1:"), line);
                String url = line.substring(line.indexOf("http://")).trim();
                HttpResponse<String> r = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), url);
                assertTrue(r.body().contains("process_resident_memory_bytes"), url + " exports process meters");
            }
            String[] remote = {"--trainer", services.trainerTarget(), "--inference", services.inferenceTarget(),
                    "--metrics", services.metricsTarget(), "--tls-ca", ca.caPem().toString()};
            Path dir = reports.resolve("remote");
            // Without the Cost section: the cluster rehearsal measures it against running services (its client pod
            // runs this command with cost), and here it would only repeat 16 load-test runs.
            EscopeRun run = escope(concat(new String[] {"reproduce", "--quick", "--no-cost", "--out", dir.toString(),
                "--token-file", adminToken.toString()}, remote));
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.err().contains("reused"), "checkpoints of the same spec are reused");
            String md = Files.readString(dir.resolve("report.md"));
            assertTrue(md.contains("| BatchEnsemble (k=4)") && md.contains("This run's answer"));
            assertFalse(md.contains("## Cost"), "--no-cost skips the Cost section");

            String[] trainer = {"--trainer", services.trainerTarget(), "--tls-ca", ca.caPem().toString()};
            EscopeRun models = escope(concat(new String[] {"models", "--token-file", adminToken.toString()}, trainer));
            assertEquals(0, models.exit(), models.err());
            assertTrue(models.out().contains("BATCH_ENSEMBLE"), models.out());
            escope(concat(new String[] {"models"}, trainer)).assertOneLineError("UNAUTHENTICATED");
            escope(concat(new String[] {"models", "--token-file", predictToken.toString()}, trainer))
                    .assertOneLineError("PERMISSION_DENIED");
            // Plaintext to a TLS port: the connection never opens; one line saying the trainer could not be reached.
            EscopeRun plain = escope("models", "--trainer", services.trainerTarget(), "--token-file",
                    adminToken.toString());
            System.out.println("plaintext to TLS: " + plain.err().strip());
            plain.assertOneLineError("");
            assertTrue(Pattern.compile("unreachable|UNAVAILABLE|closed", Pattern.CASE_INSENSITIVE)
                    .matcher(plain.err()).find(), plain.err());

            // train and evaluate, the other two client commands, over the same TLS with the admin token.
            EscopeRun train = escope(concat(new String[] {"train", "--name", "tls-single", "--method", "single",
                "--limit", "1000", "--epochs", "1", "--token-file", adminToken.toString()}, trainer));
            assertEquals(0, train.exit(), train.err());
            assertTrue(train.out().contains("tls-single/v1"), train.out());
            Path evaluated = reports.resolve("evaluate-tls");
            EscopeRun evaluate = escope(concat(new String[] {"evaluate", "tls-single:v1", "--limit", "200",
                "--shifted", "rotate-30", "--out", evaluated.toString(), "--token-file", adminToken.toString()},
                    remote));
            assertEquals(0, evaluate.exit(), evaluate.err());
            assertTrue(Files.readString(evaluated.resolve("report.md")).contains("rotate-30"));
            escope(concat(new String[] {"evaluate", "tls-single:v1", "--token-file", predictToken.toString()},
                    remote)).assertOneLineError("PERMISSION_DENIED");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void trainModelsAndEvaluateCommandsWorkOnTheStore() throws Exception {
        EscopeRun train = escope("train", "--name", "cmd-single", "--method", "single", "--limit", "1000", "--epochs", "1",
                "--seed", "2", "--store", store.toString(), "--device", "cpu");
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("cmd-single/v1"), train.out());
        EscopeRun models = escope("models", "--store", store.toString());
        assertEquals(0, models.exit(), models.err());
        assertTrue(models.out().contains("cmd-single") && models.out().contains("SINGLE"), models.out());
        Path dir = reports.resolve("evaluate");
        EscopeRun evaluate = escope("evaluate", "cmd-single:v1", "--limit", "200", "--shifted", "rotate-30",
                "--store", store.toString(), "--out", dir.toString());
        assertEquals(0, evaluate.exit(), evaluate.err());
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("rotate-30"));
        assertTrue(report.contains("cmd-single/v1 (seed 2)"), "the model's own seed: " + report.lines().findFirst());
        assertTrue(evaluate.err().contains("evaluate cmd-single/v1 seed 2"), evaluate.err());
        assertTrue(evaluate.err().contains("report: " + dir.resolve("report.md").toAbsolutePath()), evaluate.err());
        EscopeRun again = escope("evaluate", "cmd-single:v1", "--store", store.toString(), "--out", dir.toString());
        again.assertOneLineError("--out");
        EscopeRun missing = escope("evaluate", "no-such-model", "--store", store.toString());
        assertNotEquals(0, missing.exit());
        missing.assertOneLineError("NOT_FOUND");
    }

    @Test
    void wrongFlagsAndUnreachableServicesGiveOneLineErrors() {
        escope("reproduce", "--num-seeds", "0", "--store", store.toString()).assertOneLineError("--num-seeds");
        escope("reproduce", "--trainer", "127.0.0.1:1").assertOneLineError("together");
        escope("reproduce", "--quick", "--trainer", "127.0.0.1:1", "--inference", "127.0.0.1:1",
                "--metrics", "127.0.0.1:1").assertOneLineError("unreachable");

        EscopeRun unknown = escope("reproduce", "--frobnicate");
        assertNotEquals(0, unknown.exit());
    }
}
