package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.rpc.PrometheusText;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Monitoring series exist for loaded models only: after load, hot-swap and unload cycles (and requests for names that
 * do not exist) the series count equals the loaded models' times a fixed number per model, and falls to zero when
 * nothing is loaded.
 */
class CardinalityTest {
    private static boolean monitoring(PrometheusText.Sample s) {
        return (s.name().startsWith("inference_uncertainty_") || s.name().startsWith("inference_drift_")
                || s.name().startsWith("inference_outcomes_")) && s.label("model") != null;
    }

    private static List<PrometheusText.Sample> series(ServerHarness server) throws Exception {
        return server.scrape().samples().stream().filter(CardinalityTest::monitoring).toList();
    }

    private static Set<String> models(List<PrometheusText.Sample> series) {
        Set<String> out = new TreeSet<>();
        series.forEach(s -> out.add(s.label("model")));
        return out;
    }

    @Test
    void seriesFollowTheLoadedModelsThroughLoadSwapAndUnloadCycles() throws Exception {
        try (ServerHarness server = ServerHarness.monitored(TinyCheckpoints.store(), MonitoringOptions.DEFAULT)) {
            String[] all = {TinyCheckpoints.SINGLE, TinyCheckpoints.MC, TinyCheckpoints.DE, TinyCheckpoints.BE};
            int perModel = -1;
            for (int cycle = 0; cycle < 3; cycle++) {
                for (String m : all) {
                    server.blocking.predict(ServerHarness.pixels(m, 0, 2)); // autoloads
                }
                server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                        .setName(TinyCheckpoints.BE).setVersion(cycle % 2 == 0 ? "v1" : "v2")).build());
                for (String bogus : new String[] {"no-such-model", "x".repeat(300), "../etc"}) {
                    assertThrows(StatusRuntimeException.class,
                            () -> server.blocking.predict(ServerHarness.pixels(bogus, 0, 1)));
                }
                List<PrometheusText.Sample> loaded = series(server);
                assertEquals(Set.of(all), models(loaded));
                if (perModel < 0) {
                    perModel = loaded.size() / all.length;
                }
                assertEquals(perModel * all.length, loaded.size(), "series per model stay fixed, cycle " + cycle);
                for (String m : all) {
                    server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                            .setName(m)).build());
                }
                assertEquals(List.of(), series(server), "no series once nothing is loaded, cycle " + cycle);
            }
        }
    }
}
