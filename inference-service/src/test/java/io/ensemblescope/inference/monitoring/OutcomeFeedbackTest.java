package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.api.v1.ReportOutcomesResponse;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.metrics.math.SplitAccumulator;
import io.ensemblescope.metrics.math.SplitMetrics;
import io.ensemblescope.rpc.PrometheusText;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ReportOutcomes over real gRPC: labels join the predictions that carried their id, the rolling window holds the
 * last samples and its numbers are metrics-math's split metrics of exactly those samples; unknown ids are counted;
 * bad input is refused whole, naming the field.
 */
class OutcomeFeedbackTest {
    private static final String BE = TinyCheckpoints.BE;

    private static ReportOutcomesRequest outcomes(Object... idsAndLabels) {
        ReportOutcomesRequest.Builder b = ReportOutcomesRequest.newBuilder();
        for (int i = 0; i < idsAndLabels.length; i += 2) {
            int[] labels = (int[]) idsAndLabels[i + 1];
            b.addOutcomesBuilder().setRequestId((String) idsAndLabels[i])
                    .addAllLabels(Arrays.stream(labels).boxed().toList());
        }
        return b.build();
    }

    @Test
    void rollingCalibrationIsTheSplitMetricsOfTheWindowsSamples() throws Exception {
        int window = 40;
        ImageDataset images = TinyCheckpoints.testImages();
        try (ServerHarness server = ServerHarness.monitored(TinyCheckpoints.store(),
                MonitoringOptions.DEFAULT.withOutcomeWindow(window))) {
            List<float[]> probs = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            int k = 0;
            int from = 0;
            List<String> ids = new ArrayList<>();
            for (int b : new int[] {5, 1, 9, 12, 3, 8, 6}) { // 44 samples: the window keeps the last 40
                String id = "r" + from;
                PredictResponse r = server.blocking.predict(ImageTraffic.request(ModelRef.newBuilder().setName(BE)
                        .build(), images, from, b, id));
                probs.add(ImageTraffic.memberProbabilities(r));
                labels.add(Arrays.copyOfRange(images.labels(), from, from + b));
                k = r.getMemberProbabilities().getMembers();
                ids.add(id);
                from += b;
            }
            ReportOutcomesRequest.Builder req = ReportOutcomesRequest.newBuilder();
            for (int i = 0; i < ids.size(); i++) {
                req.addOutcomesBuilder().setRequestId(ids.get(i)).addAllLabels(Arrays.stream(labels.get(i)).boxed()
                        .toList());
            }
            req.addOutcomesBuilder().setRequestId("never-sent").addLabels(1);
            req.addOutcomesBuilder().setRequestId(ids.get(0)).addAllLabels(Arrays.stream(labels.get(0)).boxed()
                    .toList()); // a second report of the same id in one call
            ReportOutcomesResponse resp = server.blocking.reportOutcomes(req.build());
            assertEquals(ids.size(), resp.getAccepted());
            assertEquals(2, resp.getUnknown());
            assertEquals(44, resp.getSamples());
            // Reported again: no longer held.
            assertEquals(1, server.blocking.reportOutcomes(outcomes(ids.get(1), labels.get(1))).getUnknown());

            // The window's 40 samples are the last 40 reported, in order: feed them to the split metrics.
            SplitAccumulator acc = new SplitAccumulator(k, 10, true);
            int skip = 44 - window;
            for (int i = 0; i < probs.size(); i++) {
                int b = labels.get(i).length;
                int drop = Math.min(skip, b);
                skip -= drop;
                if (drop < b) {
                    acc.accept(io.ensemblescope.testing.RandomProbabilities.slice(probs.get(i), k, b, 10, drop,
                            b - drop), k, b - drop, 10, Arrays.copyOfRange(labels.get(i), drop, b));
                }
            }
            SplitMetrics expected = acc.result();
            PrometheusText scrape = server.scrape();
            assertEquals(window, scrape.value("inference_outcomes_window_samples", "model", BE).orElseThrow());
            assertEquals(expected.accuracy(), scrape.value("inference_outcomes_accuracy", "model", BE).orElseThrow());
            assertEquals(expected.nll(), scrape.value("inference_outcomes_nll", "model", BE).orElseThrow());
            assertEquals(expected.brier(), scrape.value("inference_outcomes_brier", "model", BE).orElseThrow());
            assertEquals(expected.ece(), scrape.value("inference_outcomes_ece", "model", BE).orElseThrow());
            assertEquals(44.0, scrape.value("inference_outcomes_samples_total", "model", BE).orElseThrow());
            assertEquals(3.0, scrape.value("inference_outcomes_unknown_total").orElseThrow());
        }
    }

    @Test
    void badOutcomesAreRefusedWholeNamingTheField() throws Exception {
        try (ServerHarness server = ServerHarness.monitored(TinyCheckpoints.store(), MonitoringOptions.DEFAULT)) {
            InferenceServiceGrpc.InferenceServiceBlockingStub stub = server.blocking;
            stub.predict(ServerHarness.pixels(BE, 0, 2).toBuilder().setRequestId("a").build());
            stub.predict(ServerHarness.pixels(BE, 2, 1).toBuilder().setRequestId("b").build());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub.reportOutcomes(outcomes("b", new int[] {3}, "a", new int[] {1, 2, 3})));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("outcomes[1].labels: 3 labels for request 'a' of 2 samples", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class,
                    () -> stub.reportOutcomes(outcomes("a", new int[] {1, 10})));
            assertEquals("outcomes[0].labels[1]: 10 outside [0, 10)", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class, () -> stub.reportOutcomes(outcomes("a", new int[] {-1, 0})));
            assertEquals("outcomes[0].labels[0]: -1 is negative", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class, () -> stub.reportOutcomes(outcomes("", new int[] {1})));
            assertEquals("outcomes[0].request_id: required", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class,
                    () -> stub.reportOutcomes(outcomes("x".repeat(100_000), new int[] {1})));
            assertTrue(e.getStatus().getDescription().startsWith("outcomes[0].request_id: 100000 characters, at most"
                    + " 128 ('xxxx"), e.getStatus().getDescription());
            assertTrue(e.getStatus().getDescription().length() < 200, "quotes a short prefix only");
            e = assertThrows(StatusRuntimeException.class, () -> stub.reportOutcomes(outcomes("a", new int[0])));
            assertEquals("outcomes[0].labels: required, one per sample of the request", e.getStatus().getDescription());
            ReportOutcomesRequest.Builder many = ReportOutcomesRequest.newBuilder();
            for (int i = 0; i <= UncertaintyMonitor.MAX_OUTCOMES; i++) {
                many.addOutcomesBuilder().setRequestId("id" + i).addLabels(0);
            }
            e = assertThrows(StatusRuntimeException.class, () -> stub.reportOutcomes(many.build()));
            assertEquals("outcomes: 1025 in one call, at most 1024", e.getStatus().getDescription());

            // Nothing was applied: both predictions are still held and now accepted together.
            ReportOutcomesResponse ok = stub.reportOutcomes(outcomes("b", new int[] {3}, "a", new int[] {1, 2}));
            assertEquals(2, ok.getAccepted());
            assertEquals(3, ok.getSamples());
            assertEquals(3.0, server.scrape().value("inference_outcomes_window_samples", "model", BE).orElseThrow());
        }
    }

    @Test
    void predictionsBeyondTheBudgetOrOfUnloadedModelsAreUnknownNotErrors() throws Exception {
        // Room for three single-sample BatchEnsemble predictions: k·C = 4·10 floats = 160 bytes each.
        MonitoringOptions tight = new MonitoringOptions(100, 100, 480, 1000);
        try (ServerHarness server = ServerHarness.monitored(TinyCheckpoints.store(), tight)) {
            for (String id : new String[] {"p1", "p2", "p3", "p4"}) {
                server.blocking.predict(ServerHarness.pixels(BE, 0, 1).toBuilder().setRequestId(id).build());
            }
            server.blocking.predict(ServerHarness.pixels(BE, 0, 4).toBuilder().setRequestId("too-big").build());
            server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.DE, 0, 1).toBuilder().setRequestId("de-1")
                    .build());
            PrometheusText before = server.scrape();
            assertEquals(3.0, before.value("inference_outcomes_pending_requests", "model", BE).orElseThrow(),
                    "p2..p4 held: p1 made room, too-big exceeds the budget alone");
            assertEquals(1.0, before.value("inference_outcomes_evicted_total", "model", BE).orElseThrow());
            server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                    .setName(TinyCheckpoints.DE)).build());
            ReportOutcomesResponse r = server.blocking.reportOutcomes(outcomes("p1", new int[] {7}, "p2",
                    new int[] {7}, "p3", new int[] {7}, "p4", new int[] {7}, "too-big", new int[] {7, 2, 1, 0},
                    "de-1", new int[] {7}));
            assertEquals(3, r.getAccepted());
            assertEquals(3, r.getUnknown());
        }
    }

    @Test
    void reportOutcomesFailsPreconditionWhenMonitoringIsOff() throws Exception {
        try (ServerHarness server = ServerHarness.monitored(TinyCheckpoints.store(), null)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> server.blocking.reportOutcomes(outcomes("a", new int[] {1})));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(server.scrape().find("inference_uncertainty_predictive_entropy_nats_count").isEmpty());
        }
    }
}
