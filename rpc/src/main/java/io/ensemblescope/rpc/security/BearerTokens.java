package io.ensemblescope.rpc.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts, each with a caller name and a role, parsed from a token file: one
 * {@code ROLE NAME TOKEN} per line ({@code #} starts a comment), e.g. {@code admin operator 3f0c…}. A token is an
 * RFC 6750 token68 of at least {@value #MIN_TOKEN_LENGTH} characters (e.g. {@code openssl rand -hex 32}).
 *
 * <p>Lookups compare SHA-256 digests of the presented token with every entry's by {@link MessageDigest#isEqual}
 * and never stop early, so the time a lookup takes says nothing about how much of a token was right, nor which
 * entry matched.
 */
public final class BearerTokens {
    public static final int MIN_TOKEN_LENGTH = 16;
    /** RFC 6750 §2.1 b64token; also what is safe in an HTTP header and a file line. */
    static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:/\\-]{1,64}");

    private record Entry(byte[] digest, Caller caller) {}

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses a token file's text.
     *
     * @throws IllegalArgumentException naming the line (never quoting a token)
     */
    public static BearerTokens parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(where + ": expected ROLE NAME TOKEN, got " + f.length + " fields");
            }
            Role role = Role.parse(f[0], where);
            if (!NAME.matcher(f[1]).matches()) {
                throw new IllegalArgumentException(where + ": a name is 1-64 of A-Z a-z 0-9 . _ @ : / -");
            }
            if (f[2].length() < MIN_TOKEN_LENGTH || !TOKEN68.matcher(f[2]).matches()) {
                throw new IllegalArgumentException(where + ": a token is at least " + MIN_TOKEN_LENGTH
                        + " characters of A-Z a-z 0-9 - . _ ~ + / (then =), e.g. from openssl rand -hex 32");
            }
            if (!seen.add(f[2])) {
                throw new IllegalArgumentException(where + ": the token of '" + f[1] + "' is also an earlier line's");
            }
            entries.add(new Entry(digest(f[2]), new Caller(f[1], role, "token")));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no tokens (expected lines of ROLE NAME TOKEN)");
        }
        return new BearerTokens(entries);
    }

    /** The caller whose token this is, if any. */
    public Optional<Caller> match(String token) {
        byte[] presented = digest(token);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), presented)) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
