package io.ensemblescope.metrics.service;

import io.ensemblescope.rpc.security.ClientSecurity;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the metrics service reaches the inference services it streams evaluations through: the client side of
 * {@code rpc.security.ClientOptions} under an {@code --inference-} prefix, since this server's own {@code --tls-*}
 * flags describe its listening side.
 */
public final class InferenceClientOptions {
    @Option(names = "--inference-tls", description = "Reach inference services with TLS, trusting the JVM's default"
            + " CAs (implied by --inference-tls-ca).")
    boolean tls;

    @Option(names = "--inference-tls-ca", paramLabel = "PEM",
            description = "CA bundle the inference services' certificates chain to.")
    Path ca;

    @Option(names = "--inference-tls-cert", paramLabel = "PEM",
            description = "Client certificate for inference services that require mTLS.")
    Path cert;

    @Option(names = "--inference-tls-key", paramLabel = "PEM", description = "Its private key (PKCS#8 PEM).")
    Path key;

    @Option(names = "--inference-token-file", paramLabel = "FILE",
            description = "Bearer token (role predict suffices) sent to inference services.")
    Path tokenFile;

    /** The client security these options describe; its files are reread every {@code reload} (zero: never). */
    ClientSecurity resolve(Duration reload) {
        return ClientSecurity.of("--inference-", tls, ca, cert, key, tokenFile, null, reload);
    }
}
