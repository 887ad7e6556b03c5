package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client can make the metrics service dial, read and label. */
class MetricsTrustTest {
    @TempDir
    Path tmp;

    private static RunEvaluationRequest request(String target, String path) {
        return RunEvaluationRequest.newBuilder().setModel(Chunks.MODEL).setInferenceTarget(target)
                .addDatasets(EvaluationDataset.newBuilder().setSplit(Chunks.split(SplitKind.IN_DISTRIBUTION, "in"))
                        .setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(10).setPath(path)))
                .build();
    }

    @Test
    void onlyConfiguredInferenceTargetsAreDialled() throws Exception {
        Set<String> dialled = ConcurrentHashMap.newKeySet();
        InferenceChannels channels = new InferenceChannels(target -> {
            dialled.add(target);
            return InProcessChannelBuilder.forName(target).build();
        });
        ExecutorService runs = Executors.newCachedThreadPool();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EvaluationRunner runner = new EvaluationRunner(spec -> {
            throw new IllegalStateException("no data in this test");
        }, channels, InferenceTargets.of("inference:50052", List.of("gpu=inference-gpu:50052")),
                EvaluationLimits.DEFAULT, new MetricsMeters(registry), runs);
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).addService(new MetricsServiceImpl(EvaluationLimits.DEFAULT,
                new MetricsMeters(registry), runner, CheckpointWeights.unimplemented())).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            var stub = MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            for (String target : List.of("10.0.0.7:22", "metadata.google.internal:80", "x".repeat(8192))) {
                Status s = assertThrows(StatusRuntimeException.class,
                        () -> stub.runEvaluation(request(target, "")).forEachRemaining(e -> { })).getStatus();
                assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s.toString());
                assertTrue(s.getDescription().startsWith("inference_target: ") && s.getDescription().length() < 400,
                        s.getDescription());
            }
            assertEquals(Set.of(), dialled, "no made-up address was dialled");
            assertEquals("inference-gpu:50052", InferenceTargets.of("inference:50052",
                    List.of("gpu=inference-gpu:50052")).resolve("gpu"));
            assertEquals("inference:50052", InferenceTargets.only("inference:50052").resolve(""));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            channels.close();
            runs.shutdownNow();
        }
    }

    @Test
    void datasetPathsNameConfiguredDirectoriesNeverPaths() {
        DataDirectories dirs = DataDirectories.of(List.of("svhn=" + tmp));
        for (String path : List.of("/etc", "../../etc/passwd", tmp.toString(), "SVHN")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogDataSource.request(
                    DatasetSpec.newBuilder().setName("svhn").setPath(path).build(), dirs));
            assertTrue(e.getMessage().startsWith("dataset.path: "), e.getMessage());
            assertFalse(e.getMessage().contains(path.equals("SVHN") ? "SVHN" : path), "no echo of a path");
        }
        DatasetRequest r = CatalogDataSource.request(DatasetSpec.newBuilder().setName("svhn").setPath("svhn").build(),
                dirs);
        assertEquals(tmp.toAbsolutePath().normalize(), r.path());
        assertEquals(tmp.toAbsolutePath().normalize(), DataDirectories.fromEnvironment(
                k -> k.equals(DataDirectories.ENV) ? "a=/x, svhn=" + tmp : null).resolve("svhn").orElseThrow());
    }

    private static EvaluationReport report(String split) {
        return EvaluationReport.newBuilder().addSplits(SplitReport.newBuilder().setSplit(
                Chunks.split(SplitKind.IN_DISTRIBUTION, split)).setLabeled(true).setAccuracy(0.5)).build();
    }

    @Test
    void reportGaugesStayBoundedAndAModelsNewReportReplacesItsOld() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsMeters meters = new MetricsMeters(registry, 4);
        for (int i = 0; i < 100; i++) {
            meters.servedReport("model-" + i, report("split-" + i));
        }
        assertEquals(4 * 6, meters.reportSeries(), "4 models × 6 gauges of one labelled split");
        String text = registry.scrape();
        assertFalse(text.contains("model=\"model-95\""), "the oldest models' series are gone");
        assertTrue(text.contains("model=\"model-99\""));
        meters.servedReport("model-99", report("renamed"));
        text = registry.scrape();
        assertFalse(text.contains("split=\"split-99\""), "a model's old report is replaced");
        assertTrue(text.contains("escope_metrics_report_accuracy{model=\"model-99\",split=\"renamed\"} 0.5"), text);
    }
}
