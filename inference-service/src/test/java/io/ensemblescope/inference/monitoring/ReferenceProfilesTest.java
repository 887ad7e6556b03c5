package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.checkpoint.Sha256;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.rpc.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile is written beside a checkpoint without touching its verified files, is loaded with the model (drift
 * gauges appear), and a profile that is unusable — another version's, corrupt, from other buckets — is refused at
 * load: the model still serves, without drift gauges.
 */
class ReferenceProfilesTest {
    @TempDir
    Path dir;

    private static Map<String, String> hashes(Path versionDir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(versionDir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Sha256.of(f));
            }
        }
        return out;
    }

    @Test
    void profileIsWrittenBesideTheCheckpointAndLoadedWithTheModel() throws Exception {
        CheckpointStore store = MonitoredStore.copyOfTiny(dir);
        Manifest v1 = store.manifest(TinyCheckpoints.BE, "v1");
        Path versionDir = store.versionDir(v1);
        Map<String, String> before = hashes(versionDir);
        try (ServerHarness server = ServerHarness.monitored(store, MonitoringOptions.DEFAULT.withDriftWindow(20))) {
            ModelRef ref = ModelRef.newBuilder().setName(TinyCheckpoints.BE).setVersion("v1").build();
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            assertEquals(0.0, server.scrape().value("inference_drift_reference_samples", "model", TinyCheckpoints.BE)
                    .orElseThrow());
            ReferenceProfile p = ReferenceProfiler.profile(server.blocking, ref, TinyCheckpoints.testImages(),
                    "mnist test [0, 512)", 100, ReferenceProfiles.manifestSha256(versionDir));
            Path written = ReferenceProfiles.write(store, v1, p);

            Map<String, String> after = hashes(versionDir);
            assertEquals(written.getFileName().toString(), ReferenceProfiles.FILE);
            assertTrue(after.keySet().containsAll(before.keySet()));
            before.forEach((file, sha) -> assertEquals(sha, after.get(file), file + " unchanged"));
            assertEquals(before.size() + 1, after.size(), "only the profile was added (no temp file left)");
            store.verify(v1); // the checkpoint still verifies
            assertEquals(512, ReferenceProfiles.read(versionDir, v1).orElseThrow().samples());

            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            for (int from = 0; from < 20; from += 5) {
                server.blocking.predict(ImageTraffic.request(ref, TinyCheckpoints.testImages(), from, 5, ""));
            }
            PrometheusText scrape = server.scrape();
            assertEquals(512.0, scrape.value("inference_drift_reference_samples", "model", TinyCheckpoints.BE)
                    .orElseThrow());
            assertEquals(4, scrape.find("inference_drift_psi", "model", TinyCheckpoints.BE).size());
            double ks = scrape.value("inference_drift_ks", "model", TinyCheckpoints.BE, "statistic",
                    "predictive_entropy").orElseThrow();
            assertTrue(ks >= 0 && ks <= 1, "a KS statistic: " + ks);

            // The profile belongs to v1 only: v2 loads without one.
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref.toBuilder().setVersion("v2"))
                    .build());
            assertTrue(server.scrape().find("inference_drift_psi", "model", TinyCheckpoints.BE).isEmpty());
        }
    }

    @Test
    void unusableProfilesAreRefusedAndTheModelServesWithoutDrift() throws Exception {
        CheckpointStore store = MonitoredStore.copyOfTiny(dir);
        Manifest v1 = store.manifest(TinyCheckpoints.BE, "v1");
        Manifest v2 = store.manifest(TinyCheckpoints.BE, "v2");
        ReferenceProfileBuilder builder = new ReferenceProfileBuilder();
        builder.add(io.ensemblescope.metrics.math.SampleStatistics.of(new float[] {0.5f, 0.5f}, 1, 1, 2));
        ReferenceProfile ofV1 = builder.build(v1.name(), v1.version(),
                ReferenceProfiles.manifestSha256(store.versionDir(v1)), "BATCH_ENSEMBLE", "test");
        Path v2Dir = store.versionDir(v2);
        Path file = v2Dir.resolve(ReferenceProfiles.FILE);

        // Written for v1 but placed beside v2: refused.
        Files.copy(ReferenceProfiles.write(store, v1, ofV1), file);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReferenceProfiles.read(v2Dir, v2));
        assertTrue(e.getMessage().contains("describes another checkpoint"), e.getMessage());
        // Not JSON, or too large.
        Files.writeString(file, "{not json");
        assertThrows(IllegalStateException.class, () -> ReferenceProfiles.read(v2Dir, v2));
        Files.write(file, new byte[(int) ReferenceProfiles.MAX_BYTES + 1]);
        assertThrows(IllegalStateException.class, () -> ReferenceProfiles.read(v2Dir, v2));
        // Other buckets: refused.
        ReferenceProfile.Distribution d = ofV1.of(ServedStatistic.DISAGREEMENT);
        Map<String, ReferenceProfile.Distribution> stats = new TreeMap<>(ofV1.statistics());
        stats.put(ServedStatistic.DISAGREEMENT.label(), new ReferenceProfile.Distribution(new double[] {0, 1},
                new long[] {1, 0, 0}, d.quantiles()));
        ReferenceProfile otherBuckets = new ReferenceProfile(1, v1.name(), v1.version(), ofV1.manifestSha256(),
                ofV1.method(), 1, "test", 1, ofV1.createdAt(), stats);
        e = assertThrows(IllegalStateException.class, () -> ReferenceProfiles.write(store, v1, otherBuckets));
        assertTrue(e.getMessage().contains("other buckets"), e.getMessage());

        Files.writeString(file, "{not json");
        try (ServerHarness server = ServerHarness.monitored(store, MonitoringOptions.DEFAULT)) {
            ModelRef ref = ModelRef.newBuilder().setName(TinyCheckpoints.BE).setVersion("v2").build();
            server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            server.blocking.predict(ImageTraffic.request(ref, TinyCheckpoints.testImages(), 0, 3, ""));
            PrometheusText scrape = server.scrape();
            assertEquals(0.0, scrape.value("inference_drift_reference_samples", "model", TinyCheckpoints.BE)
                    .orElseThrow());
            assertTrue(scrape.find("inference_drift_psi").isEmpty());
            assertEquals(3.0, scrape.value("inference_uncertainty_max_probability_ratio_count", "model",
                    TinyCheckpoints.BE).orElseThrow());
        }
    }
}
