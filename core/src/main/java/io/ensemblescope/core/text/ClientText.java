package io.ensemblescope.core.text;

/**
 * How error messages quote what a client sent: at most {@link #MAX_CHARS} characters, control characters escaped,
 * and the full length when cut. An error that echoed a whole 8 KB name outgrew gRPC's default metadata limit, so the
 * client saw RESOURCE_EXHAUSTED instead of the reason; every message that names client input quotes it through here.
 */
public final class ClientText {
    /** The most characters of client input a message repeats. */
    public static final int MAX_CHARS = 128;

    private ClientText() {}

    /** {@code 'value'}, or {@code 'first 128 characters…' (N characters)} when longer; null reads as {@code null}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(shown + 32).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (value.length() > shown) {
            out.insert(out.length() - 1, '…').append(" (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
