package io.ensemblescope.inference.monitoring;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ensemblescope.files.AtomicFiles;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.checkpoint.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads and writes {@code reference-profile.json} in a checkpoint version's directory. The file is not one of the
 * manifest's verified files, so writing it changes nothing the loader checks; it is written atomically (temp file,
 * fsync, rename) and names the sha256 of the manifest it describes, so a profile never applies to another version.
 */
public final class ReferenceProfiles {
    public static final String FILE = "reference-profile.json";
    /** Larger files are refused unread (a profile is tens of kilobytes). */
    static final long MAX_BYTES = 4L << 20;
    /** Quantiles kept per statistic at most. */
    static final int MAX_QUANTILES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReferenceProfiles() {}

    /** sha256 of the manifest.json in {@code dir}. */
    public static String manifestSha256(Path dir) throws IOException {
        return Sha256.of(dir.resolve(CheckpointStore.MANIFEST));
    }

    /**
     * Writes {@code profile} beside the manifest of {@code m}, after verifying the version (size and sha256 of every
     * file), so a profile is only ever written for a complete, intact checkpoint.
     */
    public static Path write(CheckpointStore store, Manifest m, ReferenceProfile profile) throws IOException {
        store.verify(m);
        Path dir = store.versionDir(m);
        check(profile, m.name(), m.version(), manifestSha256(dir));
        Path target = dir.resolve(FILE);
        AtomicFiles.write(target, JSON.writeValueAsBytes(profile));
        return target;
    }

    /**
     * The profile of the version in {@code dir}, or empty when it has none.
     *
     * @throws IllegalStateException when a profile is there but unusable (names the reason)
     */
    public static Optional<ReferenceProfile> read(Path dir, Manifest m) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalStateException(FILE + ": " + Files.size(file) + " bytes, more than " + MAX_BYTES);
        }
        ReferenceProfile p;
        try {
            p = JSON.readValue(file.toFile(), ReferenceProfile.class);
        } catch (IOException e) {
            throw new IllegalStateException(FILE + ": not a reference profile (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        check(p, m.name(), m.version(), manifestSha256(dir));
        return Optional.of(p);
    }

    /** Everything drift computation relies on, so a bad file is refused at load instead of failing later. */
    static void check(ReferenceProfile p, String name, String version, String manifestSha) {
        if (p == null || p.formatVersion() != ReferenceProfile.FORMAT_VERSION) {
            throw new IllegalStateException(FILE + ": format " + (p == null ? "?" : p.formatVersion())
                    + ", this server reads " + ReferenceProfile.FORMAT_VERSION);
        }
        if (!name.equals(p.model()) || !version.equals(p.version()) || !manifestSha.equals(p.manifestSha256())) {
            throw new IllegalStateException(FILE + ": describes another checkpoint (" + p.model() + "/"
                    + p.version() + "), not this " + name + "/" + version + "'s manifest");
        }
        if (p.samples() < 1 || p.statistics() == null) {
            throw new IllegalStateException(FILE + ": no samples");
        }
        for (ServedStatistic s : ServedStatistic.values()) {
            ReferenceProfile.Distribution d = p.of(s);
            String where = FILE + ": statistics." + s.label();
            if (d == null || d.bucketBounds() == null || d.bucketCounts() == null || d.quantiles() == null) {
                throw new IllegalStateException(where + " is missing");
            }
            if (!Arrays.equals(d.bucketBounds(), s.bounds())) {
                throw new IllegalStateException(where + ": profiled with other buckets; profile again");
            }
            if (d.bucketCounts().length != s.bins() || Arrays.stream(d.bucketCounts()).anyMatch(c -> c < 0)
                    || Arrays.stream(d.bucketCounts()).sum() != p.samples()) {
                throw new IllegalStateException(where + ": bucket counts must be " + s.bins()
                        + " non-negative counts summing to " + p.samples());
            }
            double[] q = d.quantiles();
            if (q.length == 0 || q.length > MAX_QUANTILES || Arrays.stream(q).anyMatch(v -> !Double.isFinite(v))) {
                throw new IllegalStateException(where + ": quantiles must be 1.." + MAX_QUANTILES + " finite values");
            }
            for (int i = 1; i < q.length; i++) {
                if (q[i] < q[i - 1]) {
                    throw new IllegalStateException(where + ": quantiles must ascend");
                }
            }
        }
    }
}
