package io.ensemblescope.rpc.security;

/**
 * Who made a call, as authentication established it: a name from the token file or the client certificate, the
 * role granted, and by what ({@code token}, {@code certificate}, {@code in-process}).
 */
public record Caller(String name, Role role, String via) {
    /** A call over this process's in-process transport: code in this JVM, which could do anything anyway. */
    public static final Caller IN_PROCESS = new Caller("in-process", Role.ADMIN, "in-process");

    @Override
    public String toString() {
        return "'" + name + "' (" + role.label() + ", by " + via + ")";
    }
}
