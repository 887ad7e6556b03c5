package io.ensemblescope.core.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ensemblescope.core.models.EnsembleNetwork;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * every file's size and sha256 and refuses a corrupt or partial version. Job work directories live under
 * {@code <root>/.jobs/}.
 */
public final class CheckpointStore {
    public static final String MANIFEST = "manifest.json";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** Work directory of a training job. */
    public Path jobDir(String jobId) {
        return root.resolve(".jobs").resolve(checkName(jobId, "job_id"));
    }

    /** Validates a model name, naming the field in the error. */
    public static String checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": must match " + NAME.pattern() + ", got '" + name + "'");
        }
        return name;
    }

    /**
     * Writes a new version of {@code draft.name()} from the given replica parameter files and returns its manifest.
     * Concurrent commits of one name are serialised by a lock file; each gets its own version.
     */
    public Manifest commit(Manifest draft, List<Path> replicaParams) throws IOException {
        String name = checkName(draft.name(), "model_name");
        Path modelDir = root.resolve(name);
        Files.createDirectories(modelDir);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
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
            try (FileChannel lockFile = FileChannel.open(modelDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                String version = "v" + (latestNumber(name) + 1);
                Manifest manifest = draft.withVersion(version, files);
                AtomicFiles.write(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
                AtomicFiles.fsyncDirectory(tmp);
                Files.move(tmp, modelDir.resolve(version), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(modelDir);
                return manifest;
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** Manifests of every complete version, optionally of one name, by name then version. */
    public List<Manifest> list(String nameFilter) throws IOException {
        List<Manifest> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path modelDir : names.filter(Files::isDirectory).sorted().toList()) {
                String name = modelDir.getFileName().toString();
                if (name.startsWith(".") || (nameFilter != null && !nameFilter.isEmpty() && !nameFilter.equals(name))) {
                    continue;
                }
                for (String v : versions(name)) {
                    Path m = modelDir.resolve(v).resolve(MANIFEST);
                    if (Files.exists(m)) {
                        out.add(JSON.readValue(m.toFile(), Manifest.class));
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

    /** The manifest of {@code name}/{@code version}; an empty version means the latest. */
    public Manifest manifest(String name, String version) throws IOException {
        checkName(name, "model.name");
        String v = version == null || version.isEmpty() ? latest(name) : version;
        Path m = root.resolve(name).resolve(v).resolve(MANIFEST);
        if (!Files.exists(m)) {
            if (Files.isDirectory(m.getParent())) {
                throw new IllegalStateException("checkpoint " + name + "/" + v + " is partial: no " + MANIFEST);
            }
            throw new NoSuchElementException("checkpoint " + name + "/" + v + " not found in " + root);
        }
        return JSON.readValue(m.toFile(), Manifest.class);
    }

    /** Latest version of a model, e.g. "v3". */
    public String latest(String name) {
        List<String> vs = versions(name);
        if (vs.isEmpty()) {
            throw new NoSuchElementException("model " + name + " has no checkpoint in " + root);
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
            Path p = dir.resolve(f.path());
            if (!Files.exists(p)) {
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
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(v -> VERSION.matcher(v).matches())
                    .sorted(Comparator.comparingLong(CheckpointStore::number)).toList();
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

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
