package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.cli.reproduce.CifarStudy;
import io.ensemblescope.cli.reproduce.CifarStudy.Scale;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR study at smoke scale, end to end through the three services: minutes, so it runs with -Pslow. */
@Tag("slow")
class ReproduceCifarSmokeTest {

    @Test
    void smokeStudyReportsEverySplitItEvaluated(@TempDir Path store, @TempDir Path out) throws Exception {
        int exit = Escope.commandLine().execute("reproduce", "--study", "cifar10", "--scale", "smoke",
                "--store", store.toString(), "--out", out.toString());
        assertEquals(0, exit);
        String md = Files.readString(out.resolve("report.md"));
        for (EvaluationDataset e : CifarStudy.plan(Scale.SMOKE, 0, 8, null, true).evaluation()) {
            assertTrue(md.contains("## " + e.getSplit().getName() + " ("), "split " + e.getSplit().getName());
        }
        assertTrue(md.contains("CIFAR-10-C mean over corruptions"), "mean over corruptions");
        assertTrue(md.contains("for comparison"), "the paper's numbers, marked as the paper's");
        assertTrue(md.contains("fashion-mnist-32"), "the OOD set is named");
        assertTrue(md.contains("| BatchEnsemble (k=4)") && md.contains("| Deep Ensemble (k=4)"));
        assertFalse(md.contains("NaN"));
    }
}
