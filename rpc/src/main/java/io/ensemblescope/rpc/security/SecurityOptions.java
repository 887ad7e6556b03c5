package io.ensemblescope.rpc.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A server's network security options, as a picocli mixin every server command shares (through
 * {@code ServerOptions}, and {@code escope serve all}): the host to bind, TLS from PEM files, client certificates
 * (mTLS), bearer tokens with roles, and how often the files are read again.
 */
public final class SecurityOptions {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind every port to (gRPC, REST,"
            + " health, /metrics); 0.0.0.0 for all interfaces (default ${DEFAULT-VALUE}, this machine only).")
    String host = ServerSecurity.LOOPBACK;

    @Option(names = "--insecure", description = "Allow a non-loopback --host without authentication.")
    boolean insecure;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain (PEM, leaf first);"
            + " with --tls-key, serves TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key (unencrypted PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "CA bundle client certificates must chain"
            + " to: every client then needs one (mTLS).")
    Path tlsClientCa;

    @Option(names = "--tls-client-role", paramLabel = "NAME=ROLE", description = "Role (predict or admin) of mTLS"
            + " clients whose certificate CN or SAN is NAME (* for any); repeatable.")
    List<String> tlsClientRoles = new ArrayList<>();

    @Option(names = "--auth-tokens", paramLabel = "FILE", description = "Bearer tokens accepted, one 'ROLE NAME"
            + " TOKEN' per line (role predict or admin); calls without a valid one are refused.")
    Path authTokens;

    @Option(names = "--credentials-reload-seconds", paramLabel = "S", description = "How often certificate, key, CA"
            + " and token files are read again; 0 never (default ${DEFAULT-VALUE}).")
    long reloadSeconds = 60;

    private ServerSecurity resolved;

    /**
     * The security these options describe, built (and its reloading started) on first call.
     *
     * @throws IllegalArgumentException naming the flag for missing, unreadable or inconsistent files, and for a
     *                                  non-loopback host without authentication or {@code --insecure}
     */
    public synchronized ServerSecurity resolve() {
        if (resolved == null) {
            resolved = build();
        }
        return resolved;
    }

    /** How often files are read again; also what a server's own clients use (the metrics service's). */
    public Duration reloadPeriod() {
        return Duration.ofSeconds(Math.max(0, reloadSeconds));
    }

    private ServerSecurity build() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (!tlsClientRoles.isEmpty() && tlsClientCa == null) {
            throw new IllegalArgumentException("--tls-client-role needs --tls-client-ca");
        }
        if (reloadSeconds < 0) {
            throw new IllegalArgumentException("--credentials-reload-seconds must be >= 0, got " + reloadSeconds);
        }
        List<Reloadable> sources = new ArrayList<>();
        TlsIdentity identity = tlsCert == null ? null : add(sources, TlsIdentity.load("--tls-cert/--tls-key",
                tlsCert, tlsKey));
        TlsTrust clientCa = tlsClientCa == null ? null : add(sources, TlsTrust.forClients("--tls-client-ca",
                tlsClientCa));
        TokenFile tokens = authTokens == null ? null : add(sources, TokenFile.load("--auth-tokens", authTokens));
        CertificateRoles roles = CertificateRoles.parse(tlsClientRoles, "--tls-client-role");
        Authenticator authenticator = tokens == null && roles.isEmpty() ? null
                : new Authenticator(tokens == null ? null : tokens::tokens, roles);
        return ServerSecurity.of(host.strip(), identity, clientCa, authenticator, insecure, sources)
                .reloadEvery(reloadPeriod());
    }

    private static <T extends Reloadable> T add(List<Reloadable> sources, T source) {
        sources.add(source);
        return source;
    }
}
