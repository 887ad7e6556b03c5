package io.ensemblescope.rpc.security;

import java.util.Locale;

/**
 * What a caller may do. {@link #PREDICT} is the data plane (predict, evaluate what the caller sends, health, model
 * metadata); {@link #ADMIN} is everything that loads, unloads, trains, cancels, evaluates server-side data or reads
 * checkpoints, and includes {@link #PREDICT}.
 */
public enum Role {
    PREDICT,
    ADMIN;

    /** Whether a caller with this role may make a call that requires {@code required}. */
    public boolean allows(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role's name as files and flags spell it: {@code predict}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code text} ({@code predict} or {@code admin}).
     *
     * @throws IllegalArgumentException naming {@code where}
     */
    public static Role parse(String text, String where) {
        for (Role r : values()) {
            if (r.label().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException(where + ": role must be predict or admin, got '"
                + (text.length() <= 32 ? text : text.substring(0, 32) + "…") + "'");
    }
}
