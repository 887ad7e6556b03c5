package io.ensemblescope.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.routines.FastWeightGroup;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.reports.Ablation;
import io.ensemblescope.trainer.request.TrainRequests;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ablation's plan: each BatchEnsemble row reaches the trainer's job spec differing from the paper configuration
 * in exactly the knob it names, and the full run's references are the MNIST study's own requests and checkpoints.
 */
class MnistAblationTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.shared();

    private static JobSpec spec(StudyPlan plan, String label) {
        StudyMethod m = plan.methods().stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow();
        return TrainRequests.toJobSpec(plan.request(m, 1), CATALOG);
    }

    @Test
    void everyRowDiffersFromThePaperConfigurationInItsOwnKnobOnly() {
        StudyPlan plan = MnistAblation.plan(1, false);
        Ablation ablation = MnistAblation.ablation();
        assertEquals(12, plan.methods().size(), "single, Deep Ensemble, paper and 9 one-knob variants");
        JobSpec paper = spec(plan, ablation.reference());
        Map<String, JobSpec> rows = ablation.variantRows().stream().filter(r -> !r.equals(ablation.reference()))
                .collect(Collectors.toMap(r -> r, r -> spec(plan, r)));
        assertEquals(2, rows.get("BE rank 2").network().batchEnsemble().rank());
        assertEquals(4, rows.get("BE rank 4").network().batchEnsemble().rank());
        assertEquals(0.1f, rows.get("BE init N(1, 0.1²)").network().batchEnsemble().initStd());
        assertEquals(1.0f, rows.get("BE init N(1, 1.0²)").network().batchEnsemble().initStd());
        assertEquals(io.ensemblescope.core.layers.FastWeightInit.RANDOM_SIGN,
                rows.get("BE init ±1").network().batchEnsemble().init());
        assertTrue(!rows.get("BE member 0 perturbed").network().batchEnsemble().member0Unperturbed());
        assertTrue(rows.get("BE split batches").config().splitBatch());
        assertEquals(new FastWeightGroup(1f, false), rows.get("BE no decay on r, s").config().optimizer()
                .fastWeights());
        assertEquals(new FastWeightGroup(10f, true), rows.get("BE fast-weight lr ×10").config().optimizer()
                .fastWeights());
        for (Map.Entry<String, JobSpec> row : rows.entrySet()) {
            JobSpec s = row.getValue();
            int differences = (s.network().equals(paper.network()) ? 0 : 1)
                    + (s.config().splitBatch() == paper.config().splitBatch() ? 0 : 1)
                    + (s.config().optimizer().equals(paper.config().optimizer()) ? 0 : 1);
            assertEquals(1, differences, row.getKey() + " changes one thing");
            assertEquals(paper.config().epochs(), s.config().epochs());
            assertEquals(paper.seeds(), s.seeds());
        }
        Set<String> names = new HashSet<>();
        plan.methods().forEach(m -> names.add(plan.request(m, 1).getModelName()));
        assertEquals(12, names.size(), "every row has its own checkpoint name");
    }

    @Test
    void theFullRunsReferencesAreTheMnistStudysOwnCheckpoints() {
        StudyPlan ablation = MnistAblation.plan(1, false);
        StudyPlan mnist = MnistStudy.plan(1, false, 8);
        Map<Method, TrainRequest> study = mnist.methods().stream().filter(m -> m.method() != Method.MC_DROPOUT)
                .collect(Collectors.toMap(StudyMethod::method, m -> mnist.request(m, 1)));
        for (String label : List.of(MnistAblation.SINGLE, MnistAblation.DEEP_ENSEMBLE, MnistAblation.PAPER)) {
            StudyMethod m = ablation.methods().stream().filter(x -> x.label().equals(label)).findFirst()
                    .orElseThrow();
            assertEquals(study.get(m.method()), ablation.request(m, 1), label + ": same request, same name");
        }
        StudyPlan quick = MnistAblation.plan(1, true);
        assertNotEquals(quick.request(quick.methods().get(0), 1).getModelName(),
                ablation.request(ablation.methods().get(0), 1).getModelName(), "quick runs train their own");
        assertTrue(quick.template().getDataset().getLimit() > 0 && quick.template().getEpochs() < 10);
    }
}
