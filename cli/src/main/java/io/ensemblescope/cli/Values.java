package io.ensemblescope.cli;

/** How user-supplied values appear in messages: quoted, at most a short prefix. */
final class Values {
    static final int MAX_QUOTED = 128;

    private Values() {}

    /** At most {@value #MAX_QUOTED} characters of {@code value}, control characters removed. */
    static String prefix(Object value) {
        String s = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "…";
    }
}
