package io.ensemblescope.inference.oip;

import io.ensemblescope.core.checkpoint.CheckpointStore;
import java.util.regex.Pattern;

/** Client-supplied text as it may appear in an error: a short quoted prefix, never the whole value. */
public final class OipText {
    /** Characters of a client value an error message quotes. */
    static final int QUOTED = 64;
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,9}");

    private OipText() {}

    /** {@code 'value'}, cut to its first 64 characters (then marked with …), control characters escaped. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String head = value.length() <= QUOTED ? value : value.substring(0, QUOTED) + "…";
        StringBuilder out = new StringBuilder(head.length() + 2).append('\'');
        head.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }

    /** The model name, checked as the checkpoint store checks it but quoted short. */
    static String modelName(String name) {
        try {
            return CheckpointStore.checkName(name, "model_name");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model_name: must be 1-128 letters, digits, '.', '_' or '-' starting"
                    + " with a letter or digit, got " + quote(name));
        }
    }

    /** The model version: empty (the server's choice) or v&lt;digits&gt;, as the store writes them. */
    static String modelVersion(String version) {
        if (version == null || version.isEmpty()) {
            return "";
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("model_version: must be v<digits> (e.g. v3) or empty, got "
                    + quote(version));
        }
        return version;
    }
}
