package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.WeightDiversityRequest;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WeightDiversity's open seam and RunEvaluation's request checks (the end-to-end run needs the inference service). */
class OtherRpcsTest {
    private InProcessMetricsService service;

    @BeforeEach
    void start() throws Exception {
        service = new InProcessMetricsService(EvaluationLimits.DEFAULT, "inf");
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
    }

    @Test
    void weightDiversityIsUnimplementedWithoutACheckpointStore() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> service.blocking.weightDiversity(
                WeightDiversityRequest.newBuilder().setCheckpoint(Chunks.MODEL).build()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("--store"), e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> service.blocking.weightDiversity(
                WeightDiversityRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    private static EvaluationDataset dataset(SplitKind kind, String name) {
        return EvaluationDataset.newBuilder().setSplit(Chunks.split(kind, name))
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(10)).build();
    }

    private Status.Code run(RunEvaluationRequest request) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> service.blocking.runEvaluation(request).forEachRemaining(ev -> { }));
        return e.getStatus().getCode();
    }

    @Test
    void runEvaluationChecksItsRequest() {
        RunEvaluationRequest ok = RunEvaluationRequest.newBuilder().setModel(Chunks.MODEL).setInferenceTarget("inf")
                .addDatasets(dataset(SplitKind.IN_DISTRIBUTION, "mnist-test")).build();
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder().clearDatasets().build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder().setModel(ModelRef.getDefaultInstance()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder().setBatchSize(-1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder()
                .addDatasets(dataset(SplitKind.SHIFTED, "mnist-test")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder()
                .addDatasets(dataset(SplitKind.SPLIT_KIND_UNSPECIFIED, "x")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, run(ok.toBuilder().clearDatasets()
                .addDatasets(dataset(SplitKind.OOD, "fashion")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, run(ok.toBuilder().setInferenceTarget("10.0.0.1:50052").build()),
                "an address the operator did not configure is never dialled");
        // A valid request, naming the default target or none, reaches the data source, which this service has not got.
        assertEquals(Status.Code.FAILED_PRECONDITION, run(ok));
        assertEquals(Status.Code.FAILED_PRECONDITION, run(ok.toBuilder().clearInferenceTarget().build()));
    }
}
