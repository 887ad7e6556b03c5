package io.ensemblescope.rpc.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides who a caller is and whether it may do something, for every binding (the gRPC {@link AuthInterceptor} and
 * the REST server use the same one). A bearer token, when sent, decides the caller: a wrong one is refused even if
 * the connection carries a client certificate. Without a token, a verified client certificate named in the
 * {@link CertificateRoles} does.
 */
public final class Authenticator {
    private static final String BEARER = "bearer";

    private final Supplier<BearerTokens> tokens;
    private final CertificateRoles certificates;

    /**
     * @param tokens the accepted tokens (read per call, so a reloaded file applies at once); null for none
     */
    public Authenticator(Supplier<BearerTokens> tokens, CertificateRoles certificates) {
        if (tokens == null && certificates.isEmpty()) {
            throw new IllegalArgumentException("an authenticator needs tokens or certificate roles");
        }
        this.tokens = tokens;
        this.certificates = certificates;
    }

    /**
     * The caller behind a request.
     *
     * @param authorization the {@code authorization} header, or null
     * @param peer the verified client certificate chain of the connection, or null
     * @throws AccessDenied unauthenticated when the credentials are missing or wrong; forbidden when a verified client
     *                      certificate has no role here
     */
    public Caller authenticate(String authorization, Certificate[] peer) throws AccessDenied {
        if (authorization != null) {
            return bearer(authorization);
        }
        if (peer != null && peer.length > 0 && peer[0] instanceof X509Certificate leaf && !certificates.isEmpty()) {
            Optional<Caller> caller = certificates.match(leaf);
            if (caller.isPresent()) {
                return caller.get();
            }
            throw AccessDenied.forbidden("client certificate " + CertificateRoles.identities(leaf)
                    + " has no role on this server (--tls-client-role)");
        }
        throw AccessDenied.unauthenticated("no credentials: send the header 'authorization: Bearer <token>'"
                + (certificates.isEmpty() ? "" : " or a client certificate with a role"));
    }

    /** Refuses {@code caller} unless its role allows {@code required}; {@code what} names the call. */
    public static void authorize(Caller caller, Role required, String what) throws AccessDenied {
        if (!caller.role().allows(required)) {
            throw AccessDenied.forbidden("caller " + caller + " may not call " + what + ": it needs role "
                    + required.label());
        }
    }

    private Caller bearer(String authorization) throws AccessDenied {
        String h = authorization.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals(BEARER)) {
            throw AccessDenied.unauthenticated("authorization: expected 'Bearer <token>'");
        }
        String token = h.substring(space + 1).strip();
        if (tokens == null) {
            throw AccessDenied.unauthenticated("authorization: this server accepts no bearer tokens, only client"
                    + " certificates");
        }
        if (!BearerTokens.TOKEN68.matcher(token).matches()) {
            throw AccessDenied.unauthenticated("authorization: the bearer token is malformed");
        }
        return tokens.get().match(token).orElseThrow(
                () -> AccessDenied.unauthenticated("authorization: the bearer token is not valid here"));
    }
}
