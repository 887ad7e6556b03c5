package io.ensemblescope.rpc.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Roles for mTLS clients by certificate identity: {@code NAME=ROLE} entries, where NAME is the verified client
 * certificate's subject common name or one of its subject alternative names (DNS, URI such as a SPIFFE ID, e-mail,
 * IP), or {@code *} for every client the trusted CA signed. A certificate matching several entries gets the highest
 * of their roles.
 */
public final class CertificateRoles {
    /** Matches every verified client certificate. */
    public static final String ANY = "*";
    public static final CertificateRoles NONE = new CertificateRoles(Map.of());

    private final Map<String, Role> roles;

    private CertificateRoles(Map<String, Role> roles) {
        this.roles = Map.copyOf(roles);
    }

    /**
     * Parses {@code NAME=ROLE} entries (the last {@code =} separates, so a name may contain one).
     *
     * @param option the flag they came from, for messages
     */
    public static CertificateRoles parse(List<String> specs, String option) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(option + ": expected NAME=ROLE, got '" + prefix(spec) + "'");
            }
            roles.put(spec.substring(0, eq).strip(), Role.parse(spec.substring(eq + 1).strip(), option));
        }
        return new CertificateRoles(roles);
    }

    public boolean isEmpty() {
        return roles.isEmpty();
    }

    /** The caller a verified client certificate stands for, if any entry names it. */
    public Optional<Caller> match(X509Certificate leaf) {
        Role best = roles.get(ANY);
        String name = identities(leaf).stream().findFirst().orElse(ANY);
        for (String id : identities(leaf)) {
            Role r = roles.get(id);
            if (r != null && (best == null || r.allows(best))) {
                best = r;
                name = id;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Caller(name, best, "certificate"));
    }

    /** The names a certificate identifies by: its subject CN, then its subject alternative names. */
    static List<String> identities(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // A subject the JDK itself printed always parses; without it the SANs still identify.
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unparseable SAN extension identifies nothing.
        }
        return out;
    }

    private static String prefix(String s) {
        return s.length() <= 128 ? s : s.substring(0, 128) + "…";
    }
}
