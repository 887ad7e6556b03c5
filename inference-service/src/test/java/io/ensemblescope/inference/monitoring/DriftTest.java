package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.rpc.PrometheusText;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drift gauges on real traffic through a real server, for every method: a profile of the even MNIST test images,
 * then 1,000 held-out odd ones (every gauge stays below the documented thresholds), the same images rotated by 60°
 * and Fashion-MNIST (every gauge rises above them) — except a single model's disagreement and mutual information,
 * which are 0 by definition on any input. Slow: the four checkpoints train for about a minute and a half.
 */
@Tag("slow")
class DriftTest {
    static final int WINDOW = 1000;

    @ParameterizedTest
    @ValueSource(strings = {MonitoredStore.SINGLE, MonitoredStore.MC, MonitoredStore.DE, MonitoredStore.BE})
    void driftStaysLowInDistributionAndRisesUnderShiftAndOod(String model) throws Exception {
        CheckpointStore store = MonitoredStore.trained();
        try (ServerHarness server = ServerHarness.monitored(store, MonitoringOptions.DEFAULT.withDriftWindow(WINDOW))) {
            ModelRef ref = server.blocking.loadModel(LoadModelRequest.newBuilder()
                    .setModel(ModelRef.newBuilder().setName(model)).build()).getRef();
            Manifest manifest = store.manifest(model, ref.getVersion());
            ImageDataset mnist = MonitoredStore.test("mnist", "");
            ReferenceProfile profile = ReferenceProfiler.profile(server.blocking, ref, ImageTraffic.strided(mnist, 0, 2),
                    "mnist test, even samples", 250, ReferenceProfiles.manifestSha256(store.versionDir(manifest)));
            ReferenceProfiles.write(store, manifest, profile);
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build()); // reload: reads it

            check(server, ref, model, "in-distribution", ImageTraffic.strided(mnist, 1, 10), false);
            check(server, ref, model, "rotate-60", ImageTraffic.strided(MonitoredStore.test("mnist", "rotate-60"), 1,
                    10), true);
            check(server, ref, model, "fashion-mnist", MonitoredStore.test("fashion-mnist", "").slice(0, WINDOW), true);
        }
    }

    /** Serves one window of {@code data}, then checks every drift gauge against the thresholds. */
    private static void check(ServerHarness server, ModelRef ref, String model, String phase, ImageDataset data,
                              boolean shifted) throws Exception {
        for (int from = 0; from < WINDOW; from += 50) {
            server.blocking.predict(ImageTraffic.request(ref, data, from, 50, ""));
        }
        PrometheusText scrape = server.scrape();
        assertEquals(WINDOW, scrape.value("inference_drift_window_samples", "model", model).orElseThrow());
        for (ServedStatistic s : ServedStatistic.values()) {
            double psi = scrape.value("inference_drift_psi", "model", model, "statistic", s.label()).orElseThrow();
            double ks = scrape.value("inference_drift_ks", "model", model, "statistic", s.label()).orElseThrow();
            String what = String.format(Locale.ROOT, "%s %s %s: psi %.4f ks %.4f", model, phase, s.label(), psi, ks);
            System.out.println(what);
            boolean zeroByDefinition = model.equals(MonitoredStore.SINGLE)
                    && (s == ServedStatistic.DISAGREEMENT || s == ServedStatistic.MUTUAL_INFORMATION);
            if (zeroByDefinition) {
                assertEquals(0, psi, what);
                assertEquals(0, ks, what);
            } else if (shifted) {
                assertTrue(psi > DriftThresholds.PSI && ks > DriftThresholds.KS, what);
            } else {
                assertTrue(psi < DriftThresholds.PSI && ks < DriftThresholds.KS, what);
            }
        }
    }
}
