package io.ensemblescope.rpc.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A server's {@link BearerTokens}, read from a file (a mounted Secret) and read again when it changes. */
public final class TokenFile extends WatchedFiles {
    private volatile BearerTokens tokens;

    private TokenFile(String option, Path file) {
        super(option + " " + file, file);
    }

    /**
     * Reads {@code file}.
     *
     * @param option the flag that named it, for messages
     * @throws IllegalArgumentException when it is unreadable or malformed
     */
    public static TokenFile load(String option, Path file) {
        TokenFile f = new TokenFile(option, file);
        f.loadFirst();
        return f;
    }

    public BearerTokens tokens() {
        return tokens;
    }

    @Override
    void load(List<byte[]> contents) {
        tokens = BearerTokens.parse(new String(contents.get(0), StandardCharsets.UTF_8));
    }
}
