package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What commands that do work leave in a pipe and on disk, run as processes: training progress as plain lines, the
 * training benchmark's table with its wall-clock column and no temporary directories left behind.
 */
class CliOutputTest {
    @TempDir
    Path tmp;

    @Test
    void trainingInAPipeWritesPlainProgressLines() throws Exception {
        EscopeProcess.Result r = EscopeProcess.run(List.of("train", "--name", "piped", "--method", "single",
                "--limit", "1200", "--epochs", "2", "--store", tmp.toString(), "--device", "cpu"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("piped/v1 validation accuracy "), r::toString);
        CliContractTest.assertPlainText(r.err());
        List<String> progress = r.err().lines().filter(l -> l.startsWith("train piped ")).toList();
        assertTrue(progress.size() >= 2 && progress.size() <= 12, "a line per tenth: " + r.err());
        Matcher last = Pattern.compile(" (\\d+)% ").matcher(progress.get(progress.size() - 1));
        assertTrue(last.find() && last.group(1).equals("100"), r.err());
        assertTrue(progress.get(progress.size() - 1).endsWith("→ piped/v1"), r.err());
    }

    @Test
    void theTrainingBenchPrintsWallSecondsAndCleansUp() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("java-tmp"));
        EscopeProcess.Result r = EscopeProcess.run(List.of("bench", "training", "--mnist-images", "200",
                "--cifar-images", "0", "--epochs", "1", "--members", "2"),
                List.of("-Djava.io.tmpdir=" + temp), Map.of());
        assertEquals(0, r.exit(), r::toString);
        List<String> table = r.out().lines().filter(l -> l.startsWith("|")).toList();
        assertEquals("| architecture | method | k | threads | images/s per run | ensemble images/s | epoch s | wall s |",
                table.get(0));
        assertEquals(6, table.size(), r::toString); // header, rule, four methods
        for (String row : table.subList(2, 6)) {
            String[] cells = row.split("\\|");
            assertEquals(9, cells.length, row);
            assertEquals("1", cells[4].strip(), "an MLP trains on one intra-op thread: " + row);
            assertTrue(Double.parseDouble(cells[8].strip()) > 0, row);
        }
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("escope-bench"))
                    .toList(), "no escope-bench* directories left");
        }
    }

    /**
     * --methods trains only the named methods; --profile writes libtorch's own trace of each one's last epoch (one
     * file per method) and prints its per-op table, backward ops included.
     */
    @Test
    void theTrainingBenchProfilesTheMethodsItIsGiven() throws Exception {
        Path trace = tmp.resolve("ops.json");
        EscopeProcess.Result r = EscopeProcess.run(List.of("bench", "training", "--mnist-images", "300",
                "--cifar-images", "0", "--epochs", "2", "--members", "2", "--methods", "batch-ensemble,single",
                "--profile", trace.toString()));
        assertEquals(0, r.exit(), r::toString);
        List<String> rows = r.out().lines().filter(l -> l.startsWith("| mnist-mlp |")).toList();
        assertEquals(2, rows.size(), r::toString);
        assertTrue(rows.get(0).startsWith("| mnist-mlp | BATCH_ENSEMBLE |") && rows.get(1).startsWith(
                "| mnist-mlp | SINGLE |"), r::toString);
        for (String method : List.of("batch-ensemble", "single")) {
            Path file = tmp.resolve("ops.mnist-mlp." + method + ".json");
            assertTrue(Files.size(file) > 0, file::toString);
        }
        // 270 training images: 3 steps of the last epoch, each with the linear layers' matmuls and their backward.
        assertTrue(r.out().contains("EnsembleScope mnist-mlp SINGLE (" + tmp.resolve("ops.mnist-mlp.single.json")
                + "): 3 steps profiled"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| aten::mm |")), r::toString);
        // The trace holds the backward pass (autograd nodes such as AddmmBackward0); the printed table only its top
        // ops, which depend on timing.
        assertTrue(Files.readString(tmp.resolve("ops.mnist-mlp.single.json")).contains("Backward0"),
                "autograd backward nodes in the trace");
    }

    @Test
    void anUnknownMethodIsAUsageError() throws Exception {
        EscopeProcess.Result r = EscopeProcess.run(List.of("bench", "training", "--methods", "single,deep"));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--methods must be single, mc-dropout, deep-ensemble or batch-ensemble, got"
                + " 'deep'"), r::toString);
    }

    /** The largest --mnist-images, all of MNIST's training set, is accepted (a tenth of it is the validation). */
    @Test
    @Tag("slow")
    void theWholeMnistTrainingSetIsAValidBenchSize() throws Exception {
        EscopeProcess.Result r = EscopeProcess.run(List.of("bench", "training", "--mnist-images", "60000",
                "--cifar-images", "0", "--epochs", "1", "--members", "2"),
                List.of("-Djava.io.tmpdir=" + tmp), Map.of());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("|")).count(), r::toString);
    }
}
