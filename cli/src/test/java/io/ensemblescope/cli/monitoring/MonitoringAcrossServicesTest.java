package io.ensemblescope.cli.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.LocalServices;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.progress.TrainingProgress;
import io.ensemblescope.cli.reproduce.MnistStudy;
import io.ensemblescope.cli.reproduce.StudyMethod;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.inference.monitoring.ImageTraffic;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.metrics.evaluation.MemberProbabilitiesCodec;
import io.ensemblescope.rpc.PrometheusText;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference service's rolling calibration equals the metrics service's report on the same window: a BatchEnsemble
 * trained by the trainer serves 600 MNIST digits with ids, their labels come back through ReportOutcomes, and the
 * last 500 (the window) go to the metrics service's Evaluate as they were served — every number matches to the bit.
 * About 15 s on an idle 2-core machine (a tiny training run and three services).
 */
class MonitoringAcrossServicesTest {
    private static final int WINDOW = 500;

    @TempDir
    Path store;

    @Test
    void rollingCalibrationEqualsTheMetricsServicesReportOnTheSameWindow() throws Exception {
        MonitoringOptions monitoring = MonitoringOptions.DEFAULT.withOutcomeWindow(WINDOW);
        try (LocalServices services = LocalServices.start(store, "cpu", new int[3], new int[] {-1, 0, -1},
                monitoring)) {
            ManagedChannel trainer = channel(services.trainerTarget());
            ManagedChannel inference = channel(services.inferenceTarget());
            ManagedChannel metrics = channel(services.metricsTarget());
            try {
                StudyMethod be = new StudyMethod("BatchEnsemble (k=4)", Method.BATCH_ENSEMBLE, 4, 0);
                TrainRequest request = MnistStudy.plan(1, true, 0).request(be, 1).toBuilder().setModelName("tiny-be")
                        .setDataset(io.ensemblescope.api.v1.DatasetSpec.newBuilder().setName("mnist")
                                .setSubset(io.ensemblescope.api.v1.Subset.TRAIN).setLimit(2000)).setEpochs(1).build();
                ModelRef ref = TrainingProgress.follow(TrainerServiceGrpc.newBlockingStub(trainer)
                        .startTraining(request), new ProgressBar(new PrintStream(OutputStream.nullOutputStream()),
                        "train"), 1).getCheckpoint();
                var infer = InferenceServiceGrpc.newBlockingStub(inference);
                infer.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());

                ImageDataset digits = DatasetCatalog.shared().load(new DatasetRequest("mnist", Subset.TEST, 0, 600,
                        "", null, 0));
                List<EvaluationChunk> served = new ArrayList<>();
                ReportOutcomesRequest.Builder outcomes = ReportOutcomesRequest.newBuilder();
                int[] sizes = {1, 7, 32, 60};
                for (int from = 0, i = 0; from < digits.size(); i++) {
                    int n = Math.min(sizes[i % sizes.length], digits.size() - from);
                    String id = "req-" + from;
                    PredictResponse r = infer.predict(ImageTraffic.request(ref, digits, from, n, id));
                    int[] labels = Arrays.copyOfRange(digits.labels(), from, from + n);
                    served.add(chunk(r, labels));
                    outcomes.addOutcomesBuilder().setRequestId(id).addAllLabels(Arrays.stream(labels).boxed().toList());
                    from += n;
                }
                outcomes.addOutcomesBuilder().setRequestId("not-held").addLabels(3);
                var reported = infer.reportOutcomes(outcomes.build());
                assertEquals(600, reported.getSamples());
                assertEquals(1, reported.getUnknown());

                PrometheusText scrape = PrometheusText.scrape(services.inferenceMetricsUrl());
                SplitReport expected = evaluate(MetricsServiceGrpc.newStub(metrics), lastSamples(served, WINDOW))
                        .getSplits(0);
                String m = ref.getName();
                assertEquals(WINDOW, expected.getSamples());
                assertEquals(WINDOW, scrape.value("inference_outcomes_window_samples", "model", m).orElseThrow());
                assertEquals(expected.getAccuracy(), scrape.value("inference_outcomes_accuracy", "model", m)
                        .orElseThrow());
                assertEquals(expected.getNll(), scrape.value("inference_outcomes_nll", "model", m).orElseThrow());
                assertEquals(expected.getBrier(), scrape.value("inference_outcomes_brier", "model", m).orElseThrow());
                assertEquals(expected.getEce(), scrape.value("inference_outcomes_ece", "model", m).orElseThrow());
            } finally {
                for (ManagedChannel c : List.of(trainer, inference, metrics)) {
                    c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static ManagedChannel channel(String target) {
        return ManagedChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    /** A served response and its labels as an in-distribution evaluation chunk. */
    private static EvaluationChunk chunk(PredictResponse r, int[] labels) {
        var p = r.getMemberProbabilities();
        return EvaluationChunk.newBuilder().setEvaluationId("window").setModel(r.getServed()).setMethod(r.getMethod())
                .setSplit(Split.newBuilder().setKind(SplitKind.IN_DISTRIBUTION).setName("window"))
                .setProbabilities(p).addAllLabels(Arrays.stream(labels).boxed().toList()).build();
    }

    /** The last {@code n} samples of the chunks, in order (the first kept chunk trimmed at its front). */
    private static List<EvaluationChunk> lastSamples(List<EvaluationChunk> chunks, int n) {
        int total = chunks.stream().mapToInt(EvaluationChunk::getLabelsCount).sum();
        int skip = total - n;
        List<EvaluationChunk> out = new ArrayList<>();
        for (EvaluationChunk c : chunks) {
            int b = c.getLabelsCount();
            int drop = Math.min(skip, b);
            skip -= drop;
            if (drop == b) {
                continue;
            }
            var p = c.getProbabilities();
            float[] all = MemberProbabilitiesCodec.decode(p, 64);
            float[] kept = new float[p.getMembers() * (b - drop) * p.getClasses()];
            for (int i = 0; i < p.getMembers(); i++) {
                System.arraycopy(all, (i * b + drop) * p.getClasses(), kept, i * (b - drop) * p.getClasses(),
                        (b - drop) * p.getClasses());
            }
            out.add(c.toBuilder().setProbabilities(MemberProbabilitiesCodec.encode(kept, p.getMembers(), b - drop,
                    p.getClasses())).clearLabels().addAllLabels(c.getLabelsList().subList(drop, b)).build());
        }
        return out;
    }

    private static EvaluationReport evaluate(MetricsServiceGrpc.MetricsServiceStub stub, List<EvaluationChunk> chunks)
            throws Exception {
        StreamRecorder<EvaluationReport> report = StreamRecorder.create();
        StreamObserver<EvaluationChunk> requests = stub.evaluate(report);
        chunks.forEach(requests::onNext);
        requests.onCompleted();
        assertTrue(report.awaitCompletion(60, TimeUnit.SECONDS), "the metrics service answered");
        if (report.getError() != null) {
            throw new AssertionError("Evaluate failed", report.getError());
        }
        return report.getValues().get(0);
    }
}
