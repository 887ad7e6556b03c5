package io.ensemblescope.core.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads one version's manifest.json and checks that it describes the directory it sits in: the name and version it
 * claims, and parameter files that are plain names inside that directory. Anything else makes the version corrupt
 * (IllegalStateException), which affects that version only.
 */
final class ManifestFile {
    private static final Pattern PLAIN_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final int MAX_REASON = 160;

    private ManifestFile() {}

    static Manifest read(Path file, String name, String version) throws IOException {
        String where = "checkpoint " + name + "/" + version;
        Manifest m;
        try {
            m = CheckpointStore.JSON.readValue(file.toFile(), Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(where + " is corrupt: " + CheckpointStore.MANIFEST + " is not valid ("
                    + firstLine(e.getOriginalMessage()) + ")", e);
        }
        if (m == null || m.network() == null || m.files() == null || m.inputShape() == null) {
            throw new IllegalStateException(where + " is corrupt: " + CheckpointStore.MANIFEST
                    + " lacks network, files or input shape");
        }
        if (!name.equals(m.name()) || !version.equals(m.version())) {
            throw new IllegalStateException(where + " is corrupt: its " + CheckpointStore.MANIFEST
                    + " describes another version");
        }
        for (Manifest.FileEntry f : m.files()) {
            if (f == null || f.path() == null || !PLAIN_FILE.matcher(f.path()).matches()) {
                throw new IllegalStateException(where + " is corrupt: " + CheckpointStore.MANIFEST
                        + " lists a file outside its directory");
            }
        }
        return m;
    }

    private static String firstLine(String message) {
        String line = message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
        return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "…" : line;
    }
}
