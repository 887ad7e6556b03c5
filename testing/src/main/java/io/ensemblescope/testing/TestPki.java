package io.ensemblescope.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests, made in the test with BouncyCastle (no key is ever committed): a CA,
 * then server and client certificates it signs, written as PEM files (certificates, PKCS#8 keys) the way an
 * operator or cert-manager hands them to a service. EC P-256 keys, so a CA and a few certificates take milliseconds.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** An issued certificate and the PEM files holding it and its key. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path cert, Path key) {}

    private final Path dir;
    private final String caName;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caPem;

    private TestPki(Path dir, String caName) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.caName = caName;
        this.caKeys = keyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + caName), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + caName), caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.ca = sign(b, caKeys);
        this.caPem = write(caName + "-ca.pem", pem("CERTIFICATE", ca.getEncoded()));
    }

    /** A new CA named {@code caName} whose files go to {@code dir}. */
    public static TestPki create(Path dir, String caName) {
        try {
            return new TestPki(dir, caName);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA certificate (PEM), what clients and servers are told to trust. */
    public Path caPem() {
        return caPem;
    }

    /** A server certificate for {@code hosts} (DNS names or IP addresses), valid for a day. */
    public Issued server(String name, String... hosts) {
        return issue(name, name, hosts, true, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
    }

    /** A client certificate with common name {@code cn} and {@code sans} (DNS names or URIs), valid for a day. */
    public Issued client(String cn, String... sans) {
        return issue(cn, cn, sans, false, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
    }

    /** A client certificate that expired an hour ago. */
    public Issued expiredClient(String cn) {
        return issue(cn + "-expired", cn, new String[0], false, Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofHours(1)));
    }

    /**
     * A certificate this CA signs.
     *
     * @param file   stem of the PEM files written ({@code <file>.crt}, {@code <file>.key})
     * @param server a server (serverAuth) or client (clientAuth) certificate
     */
    public Issued issue(String file, String cn, String[] names, boolean server, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + caName), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (names.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(generalNames(names)));
            }
            X509Certificate cert = sign(b, caKeys);
            Path certFile = write(file + ".crt", pem("CERTIFICATE", cert.getEncoded()));
            Path keyFile = write(file + ".key", pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return new Issued(cert, keys, certFile, keyFile);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of DER bytes under {@code label}. */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static GeneralName[] generalNames(String[] names) {
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            if (n.contains("://")) {
                out.add(new GeneralName(GeneralName.uniformResourceIdentifier, n));
            } else if (n.matches("[0-9.]+") || n.contains(":")) {
                out.add(new GeneralName(GeneralName.iPAddress, n));
            } else {
                out.add(new GeneralName(GeneralName.dNSName, n));
            }
        }
        return out.toArray(new GeneralName[0]);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
