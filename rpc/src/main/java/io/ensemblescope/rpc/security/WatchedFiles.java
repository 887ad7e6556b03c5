package io.ensemblescope.rpc.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files whose content is loaded as one unit and loaded again when it changes. Changes are detected by content
 * digest, not modification time: a Kubernetes Secret volume swaps a symlink, and a file rewritten within the same
 * second keeps its time on some file systems.
 */
abstract class WatchedFiles implements Reloadable {
    private static final Logger log = LoggerFactory.getLogger(WatchedFiles.class);

    private final String what;
    private final List<Path> files;
    private byte[] loaded;
    private byte[] refused;

    /**
     * @param what the option the files came from, for messages (e.g. {@code --tls-cert/--tls-key})
     */
    WatchedFiles(String what, Path... files) {
        this.what = what;
        this.files = List.of(files);
    }

    /**
     * Loads the files for the first time.
     *
     * @throws IllegalArgumentException naming the option when a file is unreadable or its content is refused
     */
    final void loadFirst() {
        List<byte[]> contents;
        try {
            contents = read();
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read " + unreadable(e), e);
        }
        try {
            load(contents);
        } catch (Exception e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        loaded = digest(contents);
    }

    @Override
    public final synchronized boolean reloadIfChanged() {
        List<byte[]> contents;
        try {
            contents = read();
        } catch (IOException e) {
            log.warn("{}: cannot read {}; keeping the previous material", what, unreadable(e));
            return false;
        }
        byte[] digest = digest(contents);
        if (Arrays.equals(digest, loaded) || Arrays.equals(digest, refused)) {
            return false;
        }
        try {
            load(contents);
        } catch (Exception e) {
            refused = digest;
            log.warn("{}: the new content is refused ({}); keeping the previous material", what, e.getMessage());
            return false;
        }
        loaded = digest;
        refused = null;
        log.info("{}: reloaded", what);
        return true;
    }

    /** Parses and starts using the files' content (in constructor order); throws to refuse it. */
    abstract void load(List<byte[]> contents) throws Exception;

    private List<byte[]> read() throws IOException {
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(Files.readAllBytes(f));
        }
        return out;
    }

    private static String unreadable(IOException e) {
        return e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
    }

    private static byte[] digest(List<byte[]> contents) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] c : contents) {
                sha.update(Integer.toString(c.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) 0);
                sha.update(c);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
