package io.ensemblescope.rpc.security;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a command reaches running services, as a picocli mixin every client command shares: TLS and its CA, a client
 * certificate for mTLS, and a bearer token file. {@link #channel(String)} gives a channel configured with them.
 */
public final class ClientOptions implements AutoCloseable {
    @Option(names = "--tls", description = "Connect with TLS, trusting the JVM's default CAs (implied by --tls-ca).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA bundle the services' certificates chain to.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate chain for mTLS (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Client private key for mTLS (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "Name to verify in the services' certificates instead of the host of the address.")
    String tlsServerName;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token to send (e.g. a role's token from the chart's Secret).")
    Path tokenFile;

    private ClientSecurity resolved;

    /** The client security these options describe (files read on first call; a long-lived client rereads them). */
    public synchronized ClientSecurity resolve() {
        if (resolved == null) {
            resolved = ClientSecurity.of("--", tls, tlsCa, tlsCert, tlsKey, tokenFile, tlsServerName,
                    Duration.ofSeconds(60));
        }
        return resolved;
    }

    /**
     * Stops rereading the files once the command is done with them, so that a command run inside a longer-lived JVM
     * (escope in-process, tests) leaves no watcher behind that logs about files deleted later.
     */
    @Override
    public synchronized void close() {
        if (resolved != null) {
            resolved.close();
            resolved = null;
        }
    }

    /** A channel to {@code target} configured by these options; the caller shuts it down. */
    public ManagedChannel channel(String target) {
        return resolve().channel(target);
    }
}
