package io.ensemblescope.core.checkpoint;

/**
 * One version directory of the store: its manifest when readable, else why not.
 *
 * @param name model name
 * @param version version, "v1", "v2", …
 * @param manifest the manifest, or null when unreadable
 * @param problem why the version cannot be used (corrupt or partial manifest), or null when readable
 */
public record StoreEntry(String name, String version, Manifest manifest, String problem) {
    static StoreEntry of(Manifest m) {
        return new StoreEntry(m.name(), m.version(), m, null);
    }

    static StoreEntry unreadable(String name, String version, String problem) {
        return new StoreEntry(name, version, null, problem);
    }

    public boolean readable() {
        return manifest != null;
    }
}
