package io.ensemblescope.core.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.files.ExclusiveLock;
import io.ensemblescope.core.store.StoreLayout;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Versioned, immutable checkpoints: {@code <root>/<name>/<version>/manifest.json} plus one DJL parameter file per
 * replica. A version appears whole or not at all (built in a temp directory, fsynced, renamed); loading verifies
 * every file's size and sha256 and refuses a corrupt or partial version. Names and layout: {@link StoreLayout}.
 * <p>Names and versions come from clients: a name is {@code [A-Za-z0-9][A-Za-z0-9._-]*}, a version {@code v<digits>},
 * and every path is followed to its real location and used only when that lies under the root, so neither a crafted
 * version nor a symlink reaches outside the store, and an outside directory looks exactly like a missing one. A
 * version whose manifest cannot be read is unavailable on its own; the rest of the store still lists and loads.
 */
public final class CheckpointStore {
    public static final String MANIFEST = StoreLayout.MANIFEST;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("v\\d{1,18}");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** Where the work directories of training jobs live. */
    public Path jobsDir() {
        return StoreLayout.jobsDir(root);
    }

    /** Work directory of a training job. */
    public Path jobDir(String jobId) {
        return jobsDir().resolve(checkName(jobId, "job_id"));
    }

    /** Validates a model name, naming the field in the error. */
    public static String checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": must match " + NAME.pattern() + ", got "
                    + ClientText.quote(name));
        }
        return name;
    }

    /** Validates a version ({@code v<digits>}, or empty for the latest), naming the field in the error. */
    public static String checkVersion(String version, String field) {
        if (version != null && !version.isEmpty() && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(field + ": must be v<digits> (e.g. v3), or empty for the latest, got "
                    + ClientText.quote(version));
        }
        return version == null ? "" : version;
    }

    /**
     * Writes a new version of {@code draft.name()} from the given replica parameter files and returns its manifest.
     * Concurrent commits of one name, in this process or others, are serialised by a lock; each gets its own version.
     */
    public Manifest commit(Manifest draft, List<Path> replicaParams) throws IOException {
        return commit(draft, replicaParams, null);
    }

    /**
     * Like {@link #commit(Manifest, List)}, but idempotent per job: when a version committed by {@code jobId} already
     * exists (a crash came between the version's rename and the job's COMMITTED marker), returns it instead of
     * committing a duplicate.
     */
    public Manifest commit(Manifest draft, List<Path> replicaParams, String jobId) throws IOException {
        String name = checkName(draft.name(), "model_name");
        Path modelDir = root.resolve(name);
        Files.createDirectories(modelDir);
        try (ExclusiveLock lock = ExclusiveLock.acquire(modelDir.resolve(StoreLayout.LOCK))) {
            removeStaleCommits(modelDir);
            if (jobId != null) {
                Manifest existing = committedBy(name, jobId);
                if (existing != null) {
                    return existing;
                }
            }
            Path tmp = modelDir.resolve(StoreLayout.COMMIT_TEMP_PREFIX + UUID.randomUUID());
            Files.createDirectory(tmp);
            try {
                List<Manifest.FileEntry> files = new ArrayList<>();
                for (int i = 0; i < replicaParams.size(); i++) {
                    String file = Manifest.replicaFile(i);
                    Path target = tmp.resolve(file);
                    Files.copy(replicaParams.get(i), target);
                    AtomicFiles.fsync(target);
                    files.add(new Manifest.FileEntry(file, Files.size(target), Sha256.of(target)));
                }
                if (jobId != null) {
                    AtomicFiles.write(tmp.resolve(StoreLayout.VERSION_JOB), jobId.getBytes(StandardCharsets.UTF_8));
                }
                String version = "v" + (latestNumber(name) + 1);
                Manifest manifest = draft.withVersion(version, files);
                AtomicFiles.write(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
                AtomicFiles.fsyncDirectory(tmp);
                Files.move(tmp, modelDir.resolve(version), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(modelDir);
                return manifest;
            } finally {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    /** The version of {@code name} that {@code jobId} committed, or null. */
    private Manifest committedBy(String name, String jobId) throws IOException {
        for (String v : versions(name)) {
            Path dir = root.resolve(name).resolve(v);
            Path job = dir.resolve(StoreLayout.VERSION_JOB);
            if (Files.exists(job) && Files.readString(job, StandardCharsets.UTF_8).equals(jobId)
                    && Files.exists(dir.resolve(MANIFEST))) {
                return JSON.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
            }
        }
        return null;
    }

    /**
     * Removes the half-built versions ({@code .tmp-*}) that commits killed mid-way left behind, in every model.
     * Safe while other processes commit: each model's are removed under its commit lock. Returns how many.
     */
    public int removeStaleCommits() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> models = Files.list(root)) {
            for (Path modelDir : models.filter(Files::isDirectory).toList()) {
                String name = modelDir.getFileName().toString();
                if (name.startsWith(".") || !hasStaleCommits(modelDir)) {
                    continue;
                }
                try (ExclusiveLock lock = ExclusiveLock.acquire(modelDir.resolve(StoreLayout.LOCK))) {
                    removed += removeStaleCommits(modelDir);
                }
            }
        }
        return removed;
    }

    private static boolean hasStaleCommits(Path modelDir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(modelDir, StoreLayout.COMMIT_TEMP_PREFIX + "*")) {
            return temps.iterator().hasNext();
        }
    }

    /** Call with the model's lock held: every commit holds it while its temp directory exists. */
    private static int removeStaleCommits(Path modelDir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(modelDir, StoreLayout.COMMIT_TEMP_PREFIX + "*")) {
            for (Path tmp : temps) {
                AtomicFiles.deleteTree(tmp);
                removed++;
            }
        }
        return removed;
    }

    /** Manifests of every readable version, optionally of one name, by name then version. */
    public List<Manifest> list(String nameFilter) throws IOException {
        return entries(nameFilter).stream().filter(StoreEntry::readable).map(StoreEntry::manifest).toList();
    }

    /**
     * Every version directory, optionally of one name, by name then version, each with its manifest or the reason
     * it cannot be read (a corrupt or partial version affects only itself).
     */
    public List<StoreEntry> entries(String nameFilter) throws IOException {
        List<StoreEntry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path modelDir : names.filter(Files::isDirectory).sorted().toList()) {
                String name = modelDir.getFileName().toString();
                if (name.startsWith(".") || !NAME.matcher(name).matches()
                        || (nameFilter != null && !nameFilter.isEmpty() && !nameFilter.equals(name))) {
                    continue;
                }
                for (String v : versions(name)) {
                    try {
                        out.add(StoreEntry.of(manifest(name, v)));
                    } catch (IllegalStateException e) {
                        out.add(StoreEntry.unreadable(name, v, e.getMessage()));
                    } catch (IOException e) {
                        out.add(StoreEntry.unreadable(name, v, "checkpoint " + name + "/" + v
                                + " cannot be read (" + e.getClass().getSimpleName() + ")"));
                    }
                }
            }
        }
        return out;
    }

    /** A manifest from its JSON text, e.g. a trainer's {@code Checkpoint.manifest_json}. */
    public static Manifest parseManifest(String json) throws IOException {
        return JSON.readValue(json, Manifest.class);
    }

    /**
     * The manifest of {@code name}/{@code version}; an empty version means the latest.
     *
     * @throws IllegalArgumentException for a malformed name or version
     * @throws NoSuchElementException   when the version is not in the store (outside directories included)
     * @throws IllegalStateException    when it is there but partial or its manifest is corrupt
     */
    public Manifest manifest(String name, String version) throws IOException {
        checkName(name, "model.name");
        String v = checkVersion(version, "model.version").isEmpty() ? latest(name) : version;
        Path dir = inside(root.resolve(name).resolve(v));
        if (dir == null) {
            throw new NoSuchElementException("checkpoint " + name + "/" + v + " not found");
        }
        Path m = inside(dir.resolve(MANIFEST));
        if (m == null || !Files.isRegularFile(m)) {
            throw new IllegalStateException("checkpoint " + name + "/" + v + " is partial: no " + MANIFEST);
        }
        return ManifestFile.read(m, name, v);
    }

    /** The real location of {@code path} when it exists and lies under the store's root, else null. */
    private Path inside(Path path) throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        Path real = path.toRealPath();
        return real.startsWith(root.toRealPath()) ? real : null;
    }

    /** Latest version of a model, e.g. "v3". */
    public String latest(String name) {
        List<String> vs = versions(name);
        if (vs.isEmpty()) {
            throw new NoSuchElementException("model " + name + " has no checkpoint");
        }
        return vs.get(vs.size() - 1);
    }

    /** Directory of a version. */
    public Path versionDir(Manifest m) {
        return root.resolve(m.name()).resolve(m.version());
    }

    /** Checks every file's size and sha256; throws IllegalStateException naming the first bad file. */
    public void verify(Manifest m) throws IOException {
        Path dir = versionDir(m);
        for (Manifest.FileEntry f : m.files()) {
            Path p = inside(dir.resolve(f.path()));
            if (p == null) {
                throw new IllegalStateException("checkpoint " + m.name() + "/" + m.version() + " is partial: "
                        + f.path() + " is missing");
            }
            if (Files.size(p) != f.size() || !Sha256.of(p).equals(f.sha256())) {
                throw new IllegalStateException("checkpoint " + m.name() + "/" + m.version() + " is corrupt: "
                        + f.path() + " does not match its sha256");
            }
        }
    }

    /** Verifies and loads a version into a network on {@code device}. */
    public EnsembleNetwork load(Manifest m, Device device) throws IOException {
        verify(m);
        EnsembleNetwork net = EnsembleNetwork.create(m.network(), m.classes(), device,
                m.seeds().stream().mapToLong(Long::longValue).toArray());
        try {
            for (int i = 0; i < m.network().replicas(); i++) {
                try (InputStream in = Files.newInputStream(versionDir(m).resolve(Manifest.replicaFile(i)));
                     DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
                    net.loadReplica(i, data);
                }
            }
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private List<String> versions(String name) {
        try {
            Path dir = inside(root.resolve(name));
            if (dir == null || !Files.isDirectory(dir)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String v = p.getFileName().toString();
                    if (VERSION.matcher(v).matches() && inside(p) != null) {
                        out.add(v);
                    }
                }
            }
            out.sort(Comparator.comparingLong(CheckpointStore::number));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long latestNumber(String name) {
        List<String> vs = versions(name);
        return vs.isEmpty() ? 0 : number(vs.get(vs.size() - 1));
    }

    private static long number(String version) {
        return Long.parseLong(version.substring(1));
    }
}
