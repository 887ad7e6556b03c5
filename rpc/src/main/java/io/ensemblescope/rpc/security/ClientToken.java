package io.ensemblescope.rpc.security;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A client's bearer token, read from a file holding only the token (a mounted Secret key), read again when it
 * changes, and sent as {@code authorization: Bearer <token>} on every call of a channel.
 */
public final class ClientToken extends WatchedFiles {
    private volatile String token;

    private ClientToken(String option, Path file) {
        super(option + " " + file, file);
    }

    /**
     * @throws IllegalArgumentException naming {@code option} when the file is unreadable or holds no token
     */
    public static ClientToken load(String option, Path file) {
        ClientToken t = new ClientToken(option, file);
        t.loadFirst();
        return t;
    }

    @Override
    void load(List<byte[]> contents) {
        String text = new String(contents.get(0), StandardCharsets.UTF_8).strip();
        if (!BearerTokens.TOKEN68.matcher(text).matches()) {
            throw new IllegalArgumentException("the file must hold one token (A-Z a-z 0-9 - . _ ~ + / then =)");
        }
        token = text;
    }

    /** Call credentials that attach the current token. */
    public CallCredentials credentials() {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    /** The {@code Authorization} header value, for HTTP clients. */
    public String header() {
        return "Bearer " + token;
    }

}
