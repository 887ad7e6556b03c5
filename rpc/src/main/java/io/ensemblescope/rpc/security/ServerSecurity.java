package io.ensemblescope.rpc.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How a server process meets the network: the address it binds, its TLS identity (none: plaintext), the CA its
 * clients' certificates must chain to (none: no client certificates), and who may call what (none: every caller that
 * reaches the port is admin). One instance serves every port of a process (gRPC, REST, health, Prometheus), so they
 * bind the same host and reload the same files.
 *
 * <p>Binding an address other than loopback without authentication (tokens, client certificate roles, or a client CA
 * that admits only its own clients) is refused unless {@code insecure} says it is meant.
 */
public final class ServerSecurity implements AutoCloseable {
    /** The default host: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    private final String host;
    private final TlsIdentity identity;
    private final TlsTrust clientCa;
    private final Authenticator authenticator;
    private final List<Reloadable> reloadable = new ArrayList<>();
    private Reloads.Handle reloading = Reloads.Handle.NONE;

    private ServerSecurity(String host, TlsIdentity identity, TlsTrust clientCa, Authenticator authenticator) {
        this.host = host;
        this.identity = identity;
        this.clientCa = clientCa;
        this.authenticator = authenticator;
    }

    /** Plaintext on loopback with no authentication: tests, and services a command starts inside itself. */
    public static ServerSecurity loopback() {
        return new ServerSecurity(LOOPBACK, null, null, null);
    }

    /**
     * @param identity      the server's certificate and key; null serves plaintext
     * @param clientCa      the CA client certificates must chain to (mTLS); null asks for none; needs an identity
     * @param authenticator who may call what; null lets every caller that reaches the port act as admin
     * @param insecure      whether a non-loopback host without any authentication is meant
     * @param sources       files to reload (token files, identity, CA); see {@link #reloadEvery(Duration)}
     * @throws IllegalArgumentException when the host is unknown, or not loopback and unauthenticated without
     *                                  {@code insecure}
     */
    public static ServerSecurity of(String host, TlsIdentity identity, TlsTrust clientCa, Authenticator authenticator,
                                    boolean insecure, List<? extends Reloadable> sources) {
        if (clientCa != null && identity == null) {
            throw new IllegalArgumentException("--tls-client-ca needs the server's own --tls-cert and --tls-key");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": unknown host");
        }
        if (!address.isLoopbackAddress() && authenticator == null && clientCa == null && !insecure) {
            throw new IllegalArgumentException("--host " + host + " is not a loopback address: serving it to the"
                    + " network needs --auth-tokens FILE or --tls-client-ca FILE, or an explicit --insecure");
        }
        ServerSecurity s = new ServerSecurity(host, identity, clientCa, authenticator);
        s.reloadable.addAll(sources);
        return s;
    }

    /** Reloads this server's files every {@code period} (zero: never) until {@link #close()}. */
    public ServerSecurity reloadEvery(Duration period) {
        reloading = Reloads.every(period, reloadable);
        return this;
    }

    /** Rereads this server's files now, as the periodic reload does; whether any new material is in use. */
    public boolean reloadNow() {
        boolean changed = false;
        for (Reloadable r : reloadable) {
            changed |= r.reloadIfChanged();
        }
        return changed;
    }

    public String host() {
        return host;
    }

    public boolean tls() {
        return identity != null;
    }

    /** The gRPC transport credentials: TLS (requiring client certificates with a client CA) or plaintext. */
    public ServerCredentials credentials() {
        if (identity == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(identity.keyManager());
        if (clientCa != null) {
            b.trustManager(clientCa.trustManager()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return b.build();
    }

    /** The same identity and client CA for an HTTPS server; null when this server is plaintext. */
    public SSLContext sslContext() {
        if (identity == null) {
            return null;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {identity.keyManager()},
                    clientCa == null ? null : new TrustManager[] {clientCa.trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS context: " + e.getMessage(), e);
        }
    }

    /** Whether clients must present a certificate the client CA signed. */
    public boolean requiresClientCertificates() {
        return clientCa != null;
    }

    /** Who may call what; null when every caller is admin. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The gRPC interceptor that enforces {@link #authenticator()}; null when there is none. */
    public ServerInterceptor interceptor() {
        return authenticator == null ? null : new AuthInterceptor(authenticator);
    }

    /** Stops reloading files. */
    @Override
    public void close() {
        reloading.close();
    }
}
