package io.ensemblescope.rpc.security;

import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;

/**
 * The certificate authorities a peer must chain to, from a PEM bundle, through grpc-java's
 * {@link AdvancedTlsX509TrustManager} so a rotated CA bundle applies without a restart. Certificates are checked
 * by PKIX (signature, validity period, constraints); a client also checks the server's name.
 */
public final class TlsTrust extends WatchedFiles {
    private final AdvancedTlsX509TrustManager trustManager;

    private TlsTrust(String option, Path bundle, Verification verification) {
        super(option + " " + bundle, bundle);
        try {
            this.trustManager = AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust for a client verifying servers: chain and host name. */
    public static TlsTrust forServers(String option, Path bundle) {
        return load(new TlsTrust(option, bundle, Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION));
    }

    /** Trust for a server verifying client certificates: chain only (clients have no host name to match). */
    public static TlsTrust forClients(String option, Path bundle) {
        return load(new TlsTrust(option, bundle, Verification.CERTIFICATE_ONLY_VERIFICATION));
    }

    private static TlsTrust load(TlsTrust trust) {
        trust.loadFirst();
        return trust;
    }

    public AdvancedTlsX509TrustManager trustManager() {
        return trustManager;
    }

    @Override
    void load(List<byte[]> contents) throws Exception {
        trustManager.updateTrustCredentials(Pem.certificates(contents.get(0)));
    }
}
