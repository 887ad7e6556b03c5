package io.ensemblescope.rpc.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.inprocess.AnonymousInProcessSocketAddress;
import io.grpc.inprocess.InProcessSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authentication and authorization of every gRPC call a server takes: the caller comes from the {@code authorization:
 * Bearer} header or the verified client certificate ({@link Authenticator}), the required role from
 * {@link AccessPolicy}. Missing or wrong credentials are UNAUTHENTICATED; a known caller without the role is
 * PERMISSION_DENIED, as the gRPC status code definitions say. The caller is in {@link #CALLER} for the service.
 *
 * <p>Calls over the in-process transport come from code in this JVM (the metrics service of {@code escope serve all}
 * calling its inference service) and pass as {@link Caller#IN_PROCESS}; no network peer reaches that transport.
 */
public final class AuthInterceptor implements ServerInterceptor {
    /** The authenticated caller of the current call. */
    public static final Context.Key<Caller> CALLER = Context.key("escope-caller");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;

    public AuthInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                        ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Caller caller;
        try {
            caller = inProcess(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)) ? Caller.IN_PROCESS
                    : authenticator.authenticate(headers.get(AUTHORIZATION), peerCertificates(call));
            Authenticator.authorize(caller, AccessPolicy.required(method), method);
        } catch (AccessDenied e) {
            call.close((e.unauthenticated() ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED)
                    .withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    private static boolean inProcess(SocketAddress peer) {
        return peer instanceof InProcessSocketAddress || peer instanceof AnonymousInProcessSocketAddress;
    }

    private static Certificate[] peerCertificates(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return null;
        }
        try {
            return session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
