package io.ensemblescope.rpc.security;

/**
 * A refused call. {@link #unauthenticated()} when the caller sent no valid credentials (gRPC UNAUTHENTICATED, HTTP
 * 401); otherwise the caller is known but may not do this (PERMISSION_DENIED, HTTP 403). The message never quotes a
 * credential.
 */
public final class AccessDenied extends Exception {
    private final boolean unauthenticated;

    private AccessDenied(String message, boolean unauthenticated) {
        super(message, null, false, false);
        this.unauthenticated = unauthenticated;
    }

    static AccessDenied unauthenticated(String message) {
        return new AccessDenied(message, true);
    }

    static AccessDenied forbidden(String message) {
        return new AccessDenied(message, false);
    }

    public boolean unauthenticated() {
        return unauthenticated;
    }
}
