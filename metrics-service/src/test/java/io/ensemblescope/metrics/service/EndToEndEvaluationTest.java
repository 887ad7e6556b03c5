package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.RunEvaluationEvent;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.api.v1.WeightDiversityRequest;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.OptimizerConfig;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.TrainConfig;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RunEvaluation and WeightDiversity end to end: checkpoints trained by the trainer code, a real inference service
 * on loopback, the metrics service reading MNIST and Fashion-MNIST through core's catalog.
 */
class EndToEndEvaluationTest {
    @TempDir
    static Path root;
    private static CheckpointStore store;
    private static InferenceServer.Running inference;
    private static ServiceServer metrics;
    private static ManagedChannel channel;
    private static MetricsServiceGrpc.MetricsServiceBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        store = new CheckpointStore(root);
        TrainingData data = TrainingData.holdOut(DatasetCatalog.shared().load(
                new DatasetRequest("mnist", Subset.TRAIN, 0, 3_000, "", null, 0)), 0.2);
        for (Method method : new Method[] {Method.SINGLE, Method.DEEP_ENSEMBLE, Method.BATCH_ENSEMBLE}) {
            int k = method.isEnsemble() ? 3 : 1;
            NetworkSpec spec = new NetworkSpec("mnist-mlp", method, k, 0.05f, 4, null);
            JobSpec job = new JobSpec(method.name().toLowerCase(), spec,
                    new TrainConfig(OptimizerConfig.adam(3e-3f, 1e-4f), new int[0], 1f, 2, 100, 0, false, false),
                    Map.of("name", "mnist"), 0.2, JobSpec.expandSeeds(List.of(5L), spec.replicas()));
            Path work = store.jobDir("job-" + job.modelName());
            LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
            CheckpointAssembler.assemble(store, job, data, work);
        }
        inference = InferenceServer.start(0, -1, 64 << 20, store, ServingOptions.defaults(Device.cpu()));
        metrics = MetricsServer.start(0, -1, "127.0.0.1:" + inference.server().port(), EvaluationLimits.DEFAULT,
                new CatalogDataSource(DatasetCatalog.shared()), new StoreCheckpointWeights(store));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", metrics.port()).usePlaintext().build();
        stub = MetricsServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        metrics.stop(5);
        inference.stop();
    }

    private static EvaluationDataset split(SplitKind kind, String name, String dataset, String shift) {
        return EvaluationDataset.newBuilder().setSplit(Split.newBuilder().setKind(kind).setName(name))
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setLimit(600).setShift(shift)).build();
    }

    private static EvaluationReport evaluate(String model, List<RunEvaluationEvent> progress) {
        var events = stub.runEvaluation(RunEvaluationRequest.newBuilder().setEvaluationId("e-" + model)
                .setModel(ModelRef.newBuilder().setName(model)).setBatchSize(128)
                .addDatasets(split(SplitKind.IN_DISTRIBUTION, "mnist", "mnist", ""))
                .addDatasets(split(SplitKind.SHIFTED, "rotate-60", "mnist", "rotate-60"))
                .addDatasets(split(SplitKind.OOD, "fashion-mnist", "fashion-mnist", "")).build());
        while (events.hasNext()) {
            RunEvaluationEvent e = events.next();
            if (e.hasReport()) {
                return e.getReport();
            }
            progress.add(e);
        }
        throw new AssertionError("no report");
    }

    @Test
    void runEvaluationDrivesTheInferenceServiceAndReportsEverySplit() {
        List<RunEvaluationEvent> progress = new ArrayList<>();
        EvaluationReport de = evaluate("deep_ensemble", progress);
        assertTrue(progress.size() >= 3, "progress streamed before the report");
        assertEquals(3, de.getMembers());
        assertEquals(3, de.getSplitsCount());
        SplitReport in = de.getSplits(0);
        assertEquals("mnist", in.getSplit().getName());
        assertEquals(600, in.getSamples());
        assertTrue(in.getAccuracy() > 0.8, "trained members classify MNIST: " + in.getAccuracy());
        assertTrue(in.getDisagreement() > 0, "independent members disagree somewhere");
        SplitReport shifted = de.getSplitsList().stream().filter(s -> s.getSplit().getName().equals("rotate-60"))
                .findFirst().orElseThrow();
        assertTrue(shifted.getAccuracy() < in.getAccuracy(), "rotation by 60 degrees hurts");
        assertEquals(1, de.getOodCount());
        assertEquals("fashion-mnist", de.getOod(0).getOodSplit());
        assertTrue(de.getOod(0).getScores(0).getAuroc() > 0.5, "OOD is detectable better than chance");

        String scrape = metrics.registry().scrape();
        assertTrue(scrape.contains("escope_metrics_report_accuracy{model=\"deep_ensemble\",service=\"metrics-service\""
                + ",split=\"mnist\"} " + in.getAccuracy()), "gauges labelled by the served model");

        EvaluationReport single = evaluate("single", new ArrayList<>());
        assertEquals(1, single.getMembers());
        assertEquals(0.0, single.getSplits(0).getDisagreement(), 0.0, "one member cannot disagree");
        assertEquals(0.0, single.getSplits(0).getMutualInformation(), 1e-12);
    }

    @Test
    void anInferenceFailureReachesTheCallerWithItsStatus() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> evaluate("absent-model", new ArrayList<>()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("absent-model"), e.getStatus().getDescription());
    }

    @Test
    void weightDiversityReadsCheckpoints() throws Exception {
        DiversityReport be = stub.weightDiversity(WeightDiversityRequest.newBuilder()
                .setCheckpoint(ModelRef.newBuilder().setName("batch_ensemble")).build());
        DiversityReport de = stub.weightDiversity(WeightDiversityRequest.newBuilder()
                .setCheckpoint(ModelRef.newBuilder().setName("deep_ensemble")).build());
        assertEquals(3, be.getMembers());
        assertEquals(9, be.getCosineCount());
        assertEquals(1.0, be.getCosine(0), 1e-9, "a member is parallel to itself");
        assertEquals(4, be.getLayersCount(), "four BatchEnsemble Linear layers");
        assertTrue(be.getMeanCosine() > de.getMeanCosine(), "BatchEnsemble members share W: more parallel ("
                + be.getMeanCosine() + " vs " + de.getMeanCosine() + ")");
        Manifest m = store.manifest("deep_ensemble", "");
        assertEquals(m.version(), de.getCheckpoint().getVersion());
    }
}
