package io.ensemblescope.cli;

import static io.ensemblescope.cli.EscopeRun.escope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed and interrupted jobs do not haunt the store: later {@code train} and {@code models} commands neither run
 * them again nor complain about them; an interrupted job is pointed out and resumed only by {@code train --resume},
 * which says where it continues.
 */
class JobLifecycleCliTest {
    private static EscopeRun train(Path store, String... more) {
        return escope(Stream.concat(Stream.of("train", "--store", store.toString(), "--device", "cpu"),
                Stream.of(more)).toArray(String[]::new));
    }

    private static EscopeRun trainTiny(Path store) {
        return train(store, "--name", "tiny", "--method", "single", "--limit", "600", "--epochs", "2",
                "--batch-size", "100");
    }

    private static List<Path> jobs(Path store) throws Exception {
        try (Stream<Path> s = Files.list(store.resolve(StoreLayout.JOBS))) {
            return s.sorted().toList();
        }
    }

    @Test
    void failedAndInterruptedJobsStayPutUntilAJobIsResumedByName(@TempDir Path store) throws Exception {
        // Valid options (checked before work) whose run fails: the loss diverges at this learning rate.
        EscopeRun broken = train(store, "--name", "broken", "--method", "single", "--limit", "600", "--epochs", "1",
                "--batch-size", "100", "--optimizer", "sgd", "--lr", "1e30");
        assertEquals(1, broken.exit(), broken.err());
        Path failedJob = jobs(store).get(0);
        assertTrue(Files.exists(failedJob.resolve(StoreLayout.FAILED)));

        EscopeRun models = escope("models", "--store", store.toString());
        assertEquals(0, models.exit(), models.err());
        assertEquals("escope: no models in " + store, models.err().strip(), "a failed job is quiet");
        EscopeRun tiny = trainTiny(store);
        assertEquals(0, tiny.exit(), tiny.err());
        assertFalse(tiny.err().contains("broken") || tiny.err().contains("WARN"), tiny.err());
        assertTrue(tiny.out().contains("tiny/v1"), tiny.out());
        assertEquals(2, jobs(store).size(), "the failed job was not run again");

        // What a crash after the run's last snapshot leaves: neither the run's DONE nor the job's COMMITTED marker.
        Path done = jobs(store).stream().filter(j -> !j.equals(failedJob)).findFirst().orElseThrow();
        Path crashed = store.resolve(StoreLayout.JOBS).resolve("job-crashed");
        copy(done, crashed);
        Path run = StoreLayout.runDir(crashed, 0);
        for (Path p : List.of(crashed.resolve(StoreLayout.COMMITTED), run.resolve(StoreLayout.DONE),
                run.resolve(StoreLayout.RESULT), run.resolve(StoreLayout.FINAL_PARAMS))) {
            Files.delete(p);
        }

        assertEquals(0, escope("models", "--store", store.toString()).exit());
        assertFalse(Files.exists(crashed.resolve(StoreLayout.COMMITTED)), "models never trains");
        EscopeRun again = trainTiny(store);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("note: job job-crashed of model tiny was interrupted after epoch 2 of 2"),
                again.err());
        assertTrue(again.out().contains("tiny/v2"), again.out());
        assertFalse(Files.exists(crashed.resolve(StoreLayout.COMMITTED)), "train runs only its own job");

        EscopeRun resumed = train(store, "--resume", "job-crashed");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("job job-crashed (model tiny) is INTERRUPTED after epoch 2 of 2"),
                resumed.err());
        assertTrue(resumed.out().contains("tiny/v3"), resumed.out());
        assertTrue(Files.exists(crashed.resolve(StoreLayout.COMMITTED)));
        assertEquals(3, new CheckpointStore(store).list("tiny").size());
        assertTrue(Files.exists(failedJob.resolve(StoreLayout.FAILED)), "the failed job stays failed");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    AtomicFiles.write(target, Files.readAllBytes(p));
                }
            }
        }
    }
}
