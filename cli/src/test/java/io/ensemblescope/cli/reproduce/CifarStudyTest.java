package io.ensemblescope.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.cli.reproduce.CifarStudy.Scale;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.reports.ReferenceTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CifarStudyTest {
    private static List<String> names(StudyPlan plan) {
        return plan.evaluation().stream().map(e -> e.getSplit().getName()).toList();
    }

    @Test
    void smokePlanIsSmallAndEverySplitLoadsThroughTheCatalog() {
        StudyPlan plan = CifarStudy.plan(Scale.SMOKE, 0, 4, null, true);
        assertEquals(List.of("cifar10-test", "cifar10c-gaussian_noise-5", "cifar10c-fog-5", "fashion-mnist-32-test"),
                names(plan));
        assertEquals(List.of(SplitKind.IN_DISTRIBUTION, SplitKind.SHIFTED, SplitKind.SHIFTED, SplitKind.OOD),
                plan.evaluation().stream().map(e -> e.getSplit().getKind()).toList());
        assertEquals(List.of(1L), plan.seeds());
        TrainRequest be = plan.request(plan.methods().get(3), 1);
        assertEquals(Method.BATCH_ENSEMBLE, be.getMethod());
        assertEquals(4, be.getMembers());
        assertEquals("resnet20", be.getArchitecture());
        assertEquals(512, be.getDataset().getLimit());
        assertEquals(1, be.getEpochs());
        assertTrue(be.getModelName().startsWith("cifar10-smoke-batch-ensemble-k4-s1-"), be.getModelName());
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("Scale: smoke scale")), plan.notes().toString());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("fashion-mnist-32") && n.contains("SVHN")));
        for (EvaluationDataset e : plan.evaluation()) {
            var d = e.getDataset();
            assertEquals(200, d.getLimit(), e.getSplit().getName());
            ImageDataset loaded = DatasetCatalog.shared().load(new DatasetRequest(d.getName(), Subset.TEST, 0, 2,
                    d.getShift(), null, d.getSeed()));
            assertEquals(3, loaded.channels(), e.getSplit().getName());
            assertEquals(e.getSplit().getKind() != SplitKind.OOD, loaded.labeled(), e.getSplit().getName());
        }
    }

    @Test
    void paperPlanHasThePapersRecipeAndAllCorruptions() {
        StudyPlan plan = CifarStudy.plan(Scale.PAPER, 0, 8, Path.of("/data/svhn"), true);
        TrainRequest t = plan.request(plan.methods().get(0), 2);
        assertEquals("resnet18", t.getArchitecture());
        assertEquals(75, t.getEpochs());
        assertEquals(List.of(26, 51), t.getLrSchedule().getMilestonesList(), "×0.1 after epochs 25 and 50");
        assertEquals(0.1f, t.getLrSchedule().getGamma());
        assertEquals(OptimizerKind.SGD, t.getOptimizer().getKind());
        assertEquals(0.05f, t.getOptimizer().getLearningRate());
        assertEquals(0.9f, t.getOptimizer().getMomentum());
        assertTrue(t.getOptimizer().getNesterov());
        assertEquals(5e-4f, t.getOptimizer().getWeightDecay());
        assertEquals(128, t.getBatchSize());
        assertEquals(0.1f, t.getDropoutRate());
        assertEquals(0, t.getDataset().getLimit());
        assertEquals(5, plan.seeds().size());
        assertEquals(15, names(plan).stream().filter(n -> n.startsWith("cifar10c-") && n.endsWith("-5")).count());
        EvaluationDataset ood = plan.evaluation().get(plan.evaluation().size() - 1);
        assertEquals("svhn-test", ood.getSplit().getName());
        assertEquals(CifarStudy.SVHN_DATA_DIR, ood.getDataset().getPath(), "a configured data directory, not a path");
        assertEquals(0, ood.getDataset().getLimit());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("SVHN test (/data/svhn)")));
    }

    @Test
    void frostIsDroppedWithANoteWhenItsTexturesAreMissing() {
        StudyPlan plan = CifarStudy.plan(Scale.PAPER, 2, 8, null, false);
        assertEquals(14, names(plan).stream().filter(n -> n.startsWith("cifar10c-")).count());
        assertFalse(names(plan).contains("cifar10c-frost-5"));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("frost left out")));
        assertEquals(2, plan.seeds().size());
    }

    @Test
    void cpuPlanKeepsOneCorruptionPerFamily() {
        StudyPlan plan = CifarStudy.plan(Scale.parse("CPU"), 0, 8, null, true);
        assertEquals(List.of("cifar10-test", "cifar10c-gaussian_noise-5", "cifar10c-defocus_blur-5", "cifar10c-fog-5",
                "cifar10c-jpeg_compression-5", "fashion-mnist-32-test"), names(plan));
        TrainRequest t = plan.request(plan.methods().get(2), 1);
        assertEquals(5_000, t.getDataset().getLimit());
        assertEquals(5, t.getEpochs());
        assertEquals(List.of(5), t.getLrSchedule().getMilestonesList());
        assertEquals(1_000, plan.evaluation().get(0).getDataset().getLimit());
        assertEquals(Method.DEEP_ENSEMBLE, t.getMethod());
        assertThrows(IllegalArgumentException.class, () -> Scale.parse("gpu"));
        assertThrows(IllegalArgumentException.class, () -> CifarStudy.plan(Scale.CPU, -1, 8, null, true));
    }

    @Test
    void paperNumbersAreTheirsInThisProjectsUnits() {
        ReferenceTable paper = PaperNumbers.cifar10();
        assertTrue(paper.setting().contains("ResNet-18"));
        ReferenceTable.Row single = paper.rows().get(0);
        assertEquals(List.of(94.1, 0.237, 3.4), single.values().subList(0, 3));
        ReferenceTable.Row beJsd = paper.rows().get(paper.rows().size() - 1);
        assertEquals("BatchEnsemble", beJsd.method());
        assertEquals(0.010, beJsd.values().get(4));
    }
}
