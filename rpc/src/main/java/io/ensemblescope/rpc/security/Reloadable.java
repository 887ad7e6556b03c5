package io.ensemblescope.rpc.security;

/** Material read from files that may be replaced while a process runs (certificates, keys, tokens). */
public interface Reloadable {
    /**
     * Reads the files again and, when their content changed and parses, starts using it. A replacement that does not
     * parse is logged and the previous material kept, so a half-written file never takes a server down.
     *
     * @return whether new material is in use
     */
    boolean reloadIfChanged();
}
