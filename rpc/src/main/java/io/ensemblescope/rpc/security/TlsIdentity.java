package io.ensemblescope.rpc.security;

import io.grpc.util.AdvancedTlsX509KeyManager;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate chain and its private key from PEM files, served through grpc-java's
 * {@link AdvancedTlsX509KeyManager}, so a renewed pair (cert-manager rotating a Secret) is swapped in without a
 * restart. A replacement is taken only when the key belongs to the certificate.
 */
public final class TlsIdentity extends WatchedFiles {
    private static final Logger log = LoggerFactory.getLogger(TlsIdentity.class);

    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();

    private TlsIdentity(String options, Path cert, Path key) {
        super(options + " " + cert + ", " + key, cert, key);
    }

    /**
     * Reads a PEM certificate chain (leaf first) and its unencrypted PKCS#8 key.
     *
     * @param options the flags that named them, for messages
     * @throws IllegalArgumentException when they are unreadable, malformed or not a pair
     */
    public static TlsIdentity load(String options, Path cert, Path key) {
        TlsIdentity identity = new TlsIdentity(options, cert, key);
        identity.loadFirst();
        return identity;
    }

    public AdvancedTlsX509KeyManager keyManager() {
        return keyManager;
    }

    @Override
    void load(List<byte[]> contents) throws Exception {
        X509Certificate[] chain = Pem.certificates(contents.get(0));
        PrivateKey key = Pem.privateKey(contents.get(1));
        Pem.checkPair(chain[0], key);
        try {
            chain[0].checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            // Served anyway (peers will refuse it and say why), but the operator should hear of it here first.
            log.warn("TLS certificate {} is not valid now: {}", chain[0].getSubjectX500Principal().getName(),
                    e.getMessage());
        }
        keyManager.updateIdentityCredentials(chain, key);
    }
}
