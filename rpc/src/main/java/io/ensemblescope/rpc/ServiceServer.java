package io.ensemblescope.rpc;

import io.ensemblescope.rpc.security.ServerSecurity;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server the way grpc-java's examples run one (start, stop, blockUntilShutdown, a shutdown hook), with what
 * every EnsembleScope service carries: grpc health, server reflection, Micrometer's gRPC meters, a Prometheus
 * endpoint on its own port, and a cap on inbound message size. Every service method parses its own requests
 * ({@link RequestParsing}: an undecodable request is INVALID_ARGUMENT) and every call's status goes out through
 * {@link CallOutcomes} (bounded description, one rate-limited log line per failure).
 *
 * <p>Its {@link ServerSecurity} decides the host every port binds (loopback by default), TLS on the gRPC port, and
 * the authorization of every call there, health and reflection included (health needs role predict, reflection
 * admin). For kubelet probes, which send neither a token nor a client certificate, {@link Builder#healthPort(int)}
 * adds a plaintext port that answers only the overall health check ({@link ProbePort}). With
 * {@link Builder#inProcess(String)} the same services are also reachable by that name over the in-process
 * transport, from this JVM only.
 */
public final class ServiceServer {
    private static final Logger log = LoggerFactory.getLogger(ServiceServer.class);

    private final String name;
    private final int port;
    private final int metricsPort;
    private final int healthPort;
    private final String inProcessName;
    private final ServerSecurity security;
    private final int maxInboundBytes;
    private final List<BindableService> services;
    private final List<Runnable> beforeStop;
    private final java.util.Set<String> transportThreadMethods;
    private final PrometheusMeterRegistry registry;
    private final HealthStatusManager health = new HealthStatusManager();
    private Server server;
    private Server inProcess;
    private Server probes;
    private PrometheusEndpoint endpoint;
    private Thread shutdownHook;
    /** Runs every other method's calls when some run on the transport thread; null otherwise (grpc's own pool). */
    private java.util.concurrent.ExecutorService callPool;

    private ServiceServer(Builder b) {
        this.name = b.name;
        this.port = b.port;
        this.metricsPort = b.metricsPort;
        this.healthPort = b.healthPort;
        this.inProcessName = b.inProcessName;
        this.security = b.security;
        this.maxInboundBytes = b.maxInboundBytes;
        this.services = List.copyOf(b.services);
        this.beforeStop = List.copyOf(b.beforeStop);
        this.transportThreadMethods = java.util.Set.copyOf(b.transportThreadMethods);
        this.registry = b.registry;
    }

    public static Builder builder(String name, PrometheusMeterRegistry registry) {
        return new Builder(name, registry);
    }

    public synchronized ServiceServer start() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(security.host(), port),
                security.credentials()).maxInboundMessageSize(maxInboundBytes);
        InProcessServerBuilder local = inProcessName == null ? null
                : InProcessServerBuilder.forName(inProcessName).maxInboundMessageSize(maxInboundBytes);
        if (!transportThreadMethods.isEmpty()) {
            callPool = java.util.concurrent.Executors.newCachedThreadPool(
                    new com.google.common.util.concurrent.ThreadFactoryBuilder().setNameFormat(name + "-call-%d")
                            .setDaemon(true).build());
            // grpc-java looks every method up on the server executor before it asks the supplier, so with the
            // default (pooled) executor each call would still hop to a pool thread and back: the executor is direct,
            // and every method not named for the transport thread is sent to the call pool.
            builder.directExecutor().callExecutor(new io.grpc.ServerCallExecutorSupplier() {
                @Override
                public <ReqT, RespT> java.util.concurrent.Executor getExecutor(io.grpc.ServerCall<ReqT, RespT> call,
                                                                                io.grpc.Metadata headers) {
                    return transportThreadMethods.contains(call.getMethodDescriptor().getFullMethodName())
                            ? null : callPool;
                }
            });
        }
        MetricCollectingServerInterceptor meters = new MetricCollectingServerInterceptor(registry);
        CallOutcomes outcomes = new CallOutcomes();
        ServerInterceptor auth = security.interceptor();
        TransportLog.install();
        List<ServerServiceDefinition> definitions = new ArrayList<>();
        for (BindableService service : services) {
            ServerServiceDefinition definition = RequestParsing.guard(service.bindService());
            // Applied last to first: meters see every call, outcomes bound every status, then authorization.
            definitions.add(auth == null ? ServerInterceptors.intercept(definition, outcomes, meters)
                    : ServerInterceptors.intercept(definition, auth, outcomes, meters));
            health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
        }
        for (BindableService service : List.of(health.getHealthService(), ProtoReflectionServiceV1.newInstance())) {
            definitions.add(auth == null ? service.bindService() : ServerInterceptors.intercept(service, auth));
        }
        for (ServerServiceDefinition d : definitions) {
            builder.addService(d);
            if (local != null) {
                local.addService(d);
            }
        }
        server = builder.build().start();
        try {
            inProcess = local == null ? null : local.build().start();
            probes = healthPort < 0 ? null : startProbes();
            endpoint = metricsPort >= 0 ? PrometheusEndpoint.start(registry, security.host(), metricsPort) : null;
        } catch (IOException | RuntimeException e) {
            shutdownNow();
            throw e;
        }
        log.info("{} listening on {}://{}:{}{}{}", name, security.tls() ? "grpcs" : "grpc", security.host(),
                server.getPort(), probes == null ? "" : ", health probes on " + probes.getPort(),
                endpoint == null ? "" : ", metrics on http://" + security.host() + ":" + endpoint.port() + "/metrics");
        shutdownHook = new Thread(() -> {
            try {
                ServiceServer.this.stop(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return this;
    }

    /** The plaintext probe port: the overall health check only, without credentials. */
    private Server startProbes() throws IOException {
        ServerBuilder<?> b = NettyServerBuilder.forAddress(new InetSocketAddress(security.host(), healthPort),
                InsecureServerCredentials.create());
        return b.addService(ServerInterceptors.intercept(health.getHealthService(), new ProbePort())).build().start();
    }

    private void shutdownNow() {
        for (Server s : new Server[] {server, inProcess, probes}) {
            if (s != null) {
                s.shutdownNow();
            }
        }
        if (callPool != null) {
            callPool.shutdownNow();
        }
    }

    /** Marks the service not serving, runs the before-stop hooks, then drains in-flight calls for up to the grace. */
    public synchronized void stop(long graceSeconds) throws InterruptedException {
        if (server == null || server.isShutdown()) {
            return;
        }
        removeShutdownHook();
        health.enterTerminalState();
        for (Runnable hook : beforeStop) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.warn("{}: before-stop hook failed", name, e);
            }
        }
        if (inProcess != null) {
            inProcess.shutdown();
        }
        server.shutdown();
        if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (inProcess != null && !inProcess.awaitTermination(5, TimeUnit.SECONDS)) {
            inProcess.shutdownNow();
        }
        if (callPool != null) {
            callPool.shutdown(); // the server has drained its calls
        }
        if (probes != null) {
            probes.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A stopped server leaves no hook behind: a JVM that starts and stops many (tests, the CLI) would pile them up. */
    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs or has run.
        }
        shutdownHook = null;
    }

    /** The hook registered by the last start, while the server runs. */
    Thread shutdownHook() {
        return shutdownHook;
    }

    public void blockUntilShutdown() throws InterruptedException {
        if (server != null) {
            server.awaitTermination();
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The Prometheus HTTP port, or -1 when none was asked for. */
    public int metricsPort() {
        return endpoint == null ? -1 : endpoint.port();
    }

    /** The plaintext health probe port, or -1 when none was asked for. */
    public int healthPort() {
        return probes == null ? -1 : probes.getPort();
    }

    /** The address every port is bound to. */
    public String host() {
        return security.host();
    }

    public ServerSecurity security() {
        return security;
    }

    public HealthStatusManager health() {
        return health;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public static final class Builder {
        private final String name;
        private final PrometheusMeterRegistry registry;
        private int port;
        private int metricsPort = -1;
        private int healthPort = -1;
        private String inProcessName;
        private ServerSecurity security = ServerSecurity.loopback();
        private int maxInboundBytes = 64 * 1024 * 1024;
        private final List<BindableService> services = new ArrayList<>();
        private final List<Runnable> beforeStop = new ArrayList<>();
        private final java.util.Set<String> transportThreadMethods = new java.util.HashSet<>();

        private Builder(String name, PrometheusMeterRegistry registry) {
            this.name = name;
            this.registry = registry;
        }

        /** gRPC port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Prometheus HTTP port; 0 picks a free one, negative serves none. */
        public Builder metricsPort(int metricsPort) {
            this.metricsPort = metricsPort;
            return this;
        }

        /** A plaintext port answering only the overall gRPC health check; 0 picks a free one, negative none. */
        public Builder healthPort(int healthPort) {
            this.healthPort = healthPort;
            return this;
        }

        /** Host, TLS and authorization of this server's ports (default: plaintext on loopback, no auth). */
        public Builder security(ServerSecurity security) {
            this.security = security;
            return this;
        }

        /** Also serves the services over the in-process transport under {@code name}, for this JVM only. */
        public Builder inProcess(String name) {
            this.inProcessName = name;
            return this;
        }

        public Builder maxInboundMessageBytes(int bytes) {
            this.maxInboundBytes = bytes;
            return this;
        }

        public Builder addService(BindableService service) {
            services.add(service);
            return this;
        }

        /** Runs before the server stops accepting calls, e.g. to snapshot running training jobs. */
        public Builder beforeStop(Runnable hook) {
            beforeStop.add(hook);
            return this;
        }

        /**
         * Runs the calls of these methods (full names, "package.Service/Method") on the transport's event-loop thread
         * instead of the call executor. Only for handlers that never block for long: they must hand slow work to
         * their own bounded pool (the inference service runs a forward there only while a compute slot is free).
         * Every other method then runs on this server's own call pool ({@code <name>-call-N} threads).
         */
        public Builder onTransportThread(String... fullMethodNames) {
            transportThreadMethods.addAll(List.of(fullMethodNames));
            return this;
        }

        public ServiceServer build() {
            return new ServiceServer(this);
        }
    }
}
