package io.ensemblescope.rpc.security;

import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** PEM certificates and keys as TLS material takes them, with errors that say what to do. */
final class Pem {
    private Pem() {}

    /** The certificates of a PEM bundle (at least one). */
    static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new GeneralSecurityException("no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        }
        X509Certificate[] certs = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
        if (certs.length == 0) {
            throw new GeneralSecurityException("no certificate in the file");
        }
        return certs;
    }

    /** An unencrypted PKCS#8 RSA or EC private key ({@code -----BEGIN PRIVATE KEY-----}). */
    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new GeneralSecurityException("the key is encrypted; give an unencrypted PKCS#8 key"
                    + " (openssl pkcs8 -topk8 -nocrypt)");
        }
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new GeneralSecurityException("the key is PKCS#1/SEC1; convert it to PKCS#8 with"
                    + " openssl pkcs8 -topk8 -nocrypt (cert-manager: privateKey.encoding PKCS8)");
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("no PEM private key (-----BEGIN PRIVATE KEY-----) in the file");
        }
        try {
            return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("unreadable private key: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code key} is the private half of {@code cert}'s public key by signing and verifying a probe:
     * a certificate and key replaced one at a time must not pair for even one handshake.
     */
    static void checkPair(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] probe = "escope-key-pair-probe".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        if (!verify.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + cert.getSubjectX500Principal().getName());
        }
    }
}
