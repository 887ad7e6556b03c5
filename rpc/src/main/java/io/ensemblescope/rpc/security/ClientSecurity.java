package io.ensemblescope.rpc.security;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a client reaches a service: plaintext or TLS (trusting a CA bundle, or the JVM's default CAs), optionally with
 * a client certificate (mTLS) and a bearer token. Every client the project ships (the CLI commands, the metrics
 * service calling inference) opens its channels here, from {@link ClientOptions} or a service's own flags.
 */
public final class ClientSecurity implements AutoCloseable {
    /** Largest message a client accepts: per-member outputs of a large batch. */
    public static final int MAX_INBOUND_BYTES = 64 << 20;
    /** Plaintext, no token: loopback services a command started itself. */
    public static final ClientSecurity PLAINTEXT = new ClientSecurity(false, null, null, null, null);

    private final boolean tls;
    private final TlsTrust trust;
    private final TlsIdentity identity;
    private final ClientToken token;
    private final String serverName;
    private Reloads.Handle reloading = Reloads.Handle.NONE;

    private ClientSecurity(boolean tls, TlsTrust trust, TlsIdentity identity, ClientToken token, String serverName) {
        this.tls = tls;
        this.trust = trust;
        this.identity = identity;
        this.token = token;
        this.serverName = serverName;
    }

    /**
     * Client security from files, as flags named them.
     *
     * @param flags      the flag prefix, for messages: {@code --} or e.g. {@code --inference-}
     * @param tls        TLS even without {@code ca} (then the JVM's default CAs are trusted)
     * @param ca         CA bundle the server's certificate must chain to; implies TLS
     * @param cert       client certificate chain for mTLS (with {@code key})
     * @param tokenFile  file holding the bearer token to send
     * @param serverName the name to verify in the server's certificate instead of the target's host
     * @throws IllegalArgumentException naming the flag for unreadable or inconsistent files
     */
    public static ClientSecurity of(String flags, boolean tls, Path ca, Path cert, Path key, Path tokenFile,
                                    String serverName, Duration reload) {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(flags + "tls-cert and " + flags + "tls-key go together");
        }
        boolean useTls = tls || ca != null || cert != null;
        if (!useTls && serverName != null) {
            throw new IllegalArgumentException(flags + "tls-server-name needs TLS (" + flags + "tls or "
                    + flags + "tls-ca)");
        }
        List<Reloadable> sources = new ArrayList<>();
        TlsTrust trust = ca == null ? null : add(sources, TlsTrust.forServers(flags + "tls-ca", ca));
        TlsIdentity identity = cert == null ? null
                : add(sources, TlsIdentity.load(flags + "tls-cert/" + flags + "tls-key", cert, key));
        ClientToken token = tokenFile == null ? null : add(sources, ClientToken.load(flags + "token-file", tokenFile));
        ClientSecurity s = new ClientSecurity(useTls, trust, identity, token, serverName);
        s.reloading = Reloads.every(reload, sources);
        return s;
    }

    public boolean tls() {
        return tls;
    }

    /** The channel credentials: transport security plus the token, if any. */
    public ChannelCredentials credentials() {
        ChannelCredentials transport;
        if (!tls) {
            transport = InsecureChannelCredentials.create();
        } else if (trust == null && identity == null) {
            transport = TlsChannelCredentials.create();
        } else {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
            if (trust != null) {
                b.trustManager(trust.trustManager());
            }
            if (identity != null) {
                b.keyManager(identity.keyManager());
            }
            transport = b.build();
        }
        return token == null ? transport : CompositeChannelCredentials.create(transport, token.credentials());
    }

    /** A channel builder to {@code target} (host:port or any gRPC target) with these credentials. */
    public NettyChannelBuilder channelBuilder(String target) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(target, credentials())
                .maxInboundMessageSize(MAX_INBOUND_BYTES);
        if (serverName != null) {
            b.overrideAuthority(serverName);
        }
        return b;
    }

    /** A channel to {@code target}; the caller shuts it down. */
    public ManagedChannel channel(String target) {
        return channelBuilder(target).build();
    }

    /** The token's {@code Authorization} header value for HTTP clients, or null without a token. */
    public String authorizationHeader() {
        return token == null ? null : token.header();
    }

    /** Stops reloading the files (channels keep the material they have). */
    @Override
    public void close() {
        reloading.close();
    }

    private static <T extends Reloadable> T add(List<Reloadable> sources, T source) {
        sources.add(source);
        return source;
    }
}
