package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointAndResumeTest {
    private static TrainingData data;

    @BeforeAll
    static void load() {
        data = TrainingData.holdOut(DatasetCatalog.shared().load(
                new DatasetRequest("mnist", Subset.TRAIN, 0, 2_400, "", null, 0)), 0.25);
    }

    /** Small jobs on plain SGD; resume exactness for stateful optimizers is ResumeExactnessTest's. */
    private static JobSpec job(Method method, String name) {
        int k = method.isEnsemble() ? 2 : 1;
        NetworkSpec spec = new NetworkSpec(MnistMlp.NAME, method, k, 0.05f, 4, null);
        TrainConfig cfg = new TrainConfig(new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.05f, 0f, false, 0f),
                new int[] {2}, 0.5f, 3, 100, 0, false, false);
        return new JobSpec(name, spec, cfg, Map.of("name", "mnist"), 0.25,
                JobSpec.expandSeeds(List.of(11L), spec.replicas()));
    }

    private static byte[] params(EnsembleNetwork net, int i) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        net.saveReplica(i, new DataOutputStream(b));
        return b.toByteArray();
    }

    @Test
    void checkpointRoundTripIsBitExactAndAFlippedByteIsRefused(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        JobSpec job = job(Method.DEEP_ENSEMBLE, "de");
        Path work = store.jobDir("j1");
        LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
        Manifest m = CheckpointAssembler.assemble(store, job, data, work);
        assertEquals("v1", m.version());
        assertEquals(2, m.files().size());
        try (EnsembleNetwork net = store.load(store.manifest("de", ""), Device.cpu())) {
            for (int i = 0; i < 2; i++) {
                byte[] saved = Files.readAllBytes(store.versionDir(m).resolve(Manifest.replicaFile(i)));
                assertArrayEquals(Files.readAllBytes(LocalRuns.runDir(work, i).resolve(RunFiles.FINAL_PARAMS)),
                        saved);
                assertArrayEquals(saved, params(net, i), "replica " + i + " reloads bit-exact");
            }
        }
        // A second commit is a new immutable version; "" resolves to it.
        Manifest m2 = CheckpointAssembler.assemble(store, job, data, work);
        assertEquals("v2", m2.version());
        assertEquals("v2", store.manifest("de", "").version());

        Path file = store.versionDir(m).resolve(Manifest.replicaFile(1));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x01);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.load(store.manifest("de", "v1"), Device.cpu()));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("member-1"), e.getMessage());

        Files.delete(store.versionDir(m2).resolve(CheckpointStore.MANIFEST));
        assertThrows(IllegalStateException.class, () -> store.manifest("de", "v2"));
        assertThrows(NoSuchElementException.class, () -> store.manifest("nope", ""));
    }

    @Test
    void aJobCommitsOnceEvenWhenItsCommitIsRepeatedAndHalfBuiltVersionsAreRemoved(@TempDir Path root)
            throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        JobSpec job = job(Method.SINGLE, "once");
        Path work = store.jobDir("job-1");
        LocalRuns.trainAll(job, data, work, Device.cpu(), TrainListener.NONE, RunControl.NONE);
        // A commit killed before its rename leaves a half-built version directory behind.
        Path stale = Files.createDirectories(root.resolve("once").resolve(StoreLayout.COMMIT_TEMP_PREFIX + "dead"));
        Files.write(stale.resolve(Manifest.replicaFile(0)), new byte[] {1, 2});

        Manifest first = CheckpointAssembler.assemble(store, job, data, work, "job-1");
        // The crash between the version's rename and the job's COMMITTED marker: the job commits again on restart.
        Manifest again = CheckpointAssembler.assemble(store, job, data, work, "job-1");
        assertEquals("v1", first.version());
        assertEquals(first.version(), again.version(), "the job's version, not a duplicate");
        assertEquals(first.createdAt(), again.createdAt());
        assertEquals(1, store.list("once").size());
        assertFalse(Files.exists(stale), "the half-built version was removed under the model's lock");
        assertEquals("v2", CheckpointAssembler.assemble(store, job, data, work, "job-2").version(),
                "another job commits its own version");

        Files.createDirectories(root.resolve("once").resolve(StoreLayout.COMMIT_TEMP_PREFIX + "dead-2"));
        assertEquals(1, store.removeStaleCommits());
        assertEquals(0, store.removeStaleCommits());
    }

    @Test
    void trainingIsReproducibleFromTheSeed(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root);
        JobSpec job = job(Method.MC_DROPOUT, "mcd");
        LocalRuns.trainAll(job, data, store.jobDir("a"), Device.cpu(), TrainListener.NONE, RunControl.NONE);
        LocalRuns.trainAll(job, data, store.jobDir("b"), Device.cpu(), TrainListener.NONE, RunControl.NONE);
        assertArrayEquals(
                Files.readAllBytes(LocalRuns.runDir(store.jobDir("a"), 0).resolve(RunFiles.FINAL_PARAMS)),
                Files.readAllBytes(LocalRuns.runDir(store.jobDir("b"), 0).resolve(RunFiles.FINAL_PARAMS)));
    }
}
