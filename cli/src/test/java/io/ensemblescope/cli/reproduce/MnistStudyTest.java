package io.ensemblescope.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.layers.BatchEnsembleOptions;
import io.ensemblescope.core.layers.FastWeightInit;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.reports.ReferenceTable;
import io.ensemblescope.trainer.request.TrainRequests;
import org.junit.jupiter.api.Test;

/** The MNIST preset trains BatchEnsemble as the paper's code does, and only BatchEnsemble gets those options. */
class MnistStudyTest {
    @Test
    void batchEnsembleRunsReachTheTrainerWithThePapersConfiguration() {
        StudyPlan plan = MnistStudy.plan(1, false, 16);
        StudyMethod be = plan.methods().stream().filter(m -> m.method() == Method.BATCH_ENSEMBLE).findFirst()
                .orElseThrow();
        JobSpec spec = TrainRequests.toJobSpec(plan.request(be, 1), DatasetCatalog.shared());
        BatchEnsembleOptions options = spec.network().batchEnsemble();
        assertEquals(4, options.members());
        assertEquals(1, options.rank());
        assertEquals(FastWeightInit.NORMAL, options.init());
        assertEquals(0.5f, options.initStd());
        assertTrue(options.member0Unperturbed(), "member 0 on the plain shared weights");
        assertFalse(spec.config().splitBatch(), "the batch is tiled, targets repeated k times");
    }

    @Test
    void otherMethodsKeepARequestWithoutBatchEnsembleOptions() {
        StudyPlan plan = MnistStudy.plan(1, false, 16);
        for (StudyMethod m : plan.methods()) {
            TrainRequest request = plan.request(m, 1);
            assertEquals(m.method() == Method.BATCH_ENSEMBLE, request.hasBatchEnsemble(), m.label());
            if (m.method() != Method.BATCH_ENSEMBLE) {
                assertNull(TrainRequests.toJobSpec(request, DatasetCatalog.shared()).network().batchEnsemble());
            }
        }
    }

    @Test
    void referenceMeasurementsAreMarkedAsMeasuredNotPublished() {
        ReferenceTable t = MnistReference.table();
        assertEquals(ReferenceTable.Provenance.MEASURED, t.provenance());
        assertTrue(t.rows().stream().anyMatch(r -> r.method().startsWith("BatchEnsemble")
                && Double.valueOf(0.21).equals(r.values().get(0))));
    }
}
