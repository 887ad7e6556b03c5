package io.ensemblescope.trainer.executor.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Job names and label values derived from trainer job ids, within Kubernetes' 63-character syntax. */
final class KubernetesNames {

    static final String APP_LABEL = "app.kubernetes.io/name";
    static final String APP = "ensemblescope";
    static final String JOB_LABEL = "ensemblescope.io/job";
    static final String RUN_LABEL = "ensemblescope.io/run";
    static final String MEMBER_LABEL = "ensemblescope.io/member";
    static final String ATTEMPT_LABEL = "ensemblescope.io/attempt";
    /** The trainer's job id verbatim (annotations have no length or charset limit). */
    static final String JOB_ID_ANNOTATION = "ensemblescope.io/job-id";

    private static final int MAX = 63;

    private KubernetesNames() {}

    /** A label value for {@code jobId}: [A-Za-z0-9._-], alphanumeric at both ends, at most 63 characters. */
    static String labelValue(String jobId) {
        String cleaned = jobId.replaceAll("[^A-Za-z0-9._-]", "-");
        return fit(trimEnds(cleaned), MAX, jobId);
    }

    /** The Job name of one member attempt: a DNS-1123 label, so the pods' job-name label stays valid too. */
    static String jobName(String jobId, int member, int attempt) {
        String suffix = "-m" + member + "-a" + attempt;
        String stem = trimEnds(jobId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
        return "escope-" + fit(stem, MAX - "escope-".length() - suffix.length(), jobId) + suffix;
    }

    /** Keeps {@code s} when it fits; otherwise a prefix plus a short hash of the original, so names stay distinct. */
    private static String fit(String s, int max, String original) {
        if (s.length() <= max && !s.isEmpty()) {
            return s;
        }
        String hash = sha256(original).substring(0, 8);
        String head = trimEnds(s.substring(0, Math.max(0, Math.min(s.length(), max - hash.length() - 1))));
        return head.isEmpty() ? hash : head + "-" + hash;
    }

    /** Checks an object name the chart hands over (Secret, ConfigMap, ServiceAccount): a DNS-1123 subdomain. */
    static String checkObjectName(String name, String field) {
        if (name.length() > 253 || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new IllegalArgumentException(field + " must be a Kubernetes object name (lower-case DNS subdomain), got '"
                    + (name.length() > 128 ? name.substring(0, 128) + "…" : name) + "'");
        }
        return name;
    }

    private static String trimEnds(String s) {
        return s.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
