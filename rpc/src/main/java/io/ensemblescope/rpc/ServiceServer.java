package io.ensemblescope.rpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
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
 */
public final class ServiceServer {
    private static final Logger log = LoggerFactory.getLogger(ServiceServer.class);

    private final String name;
    private final int port;
    private final int metricsPort;
    private final int maxInboundBytes;
    private final List<BindableService> services;
    private final List<Runnable> beforeStop;
    private final PrometheusMeterRegistry registry;
    private final HealthStatusManager health = new HealthStatusManager();
    private Server server;
    private PrometheusEndpoint endpoint;
    private Thread shutdownHook;

    private ServiceServer(Builder b) {
        this.name = b.name;
        this.port = b.port;
        this.metricsPort = b.metricsPort;
        this.maxInboundBytes = b.maxInboundBytes;
        this.services = List.copyOf(b.services);
        this.beforeStop = List.copyOf(b.beforeStop);
        this.registry = b.registry;
    }

    public static Builder builder(String name, PrometheusMeterRegistry registry) {
        return new Builder(name, registry);
    }

    public synchronized ServiceServer start() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forPort(port).maxInboundMessageSize(maxInboundBytes);
        MetricCollectingServerInterceptor meters = new MetricCollectingServerInterceptor(registry);
        CallOutcomes outcomes = new CallOutcomes();
        TransportLog.install();
        for (BindableService service : services) {
            ServerServiceDefinition definition = RequestParsing.guard(service.bindService());
            builder.addService(ServerInterceptors.intercept(definition, outcomes, meters));
            health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
        }
        builder.addService(health.getHealthService());
        builder.addService(ProtoReflectionServiceV1.newInstance());
        server = builder.build().start();
        endpoint = metricsPort >= 0 ? PrometheusEndpoint.start(registry, metricsPort) : null;
        log.info("{} listening on gRPC port {}{}", name, server.getPort(),
                endpoint == null ? "" : ", metrics on http://0.0.0.0:" + endpoint.port() + "/metrics");
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
        server.shutdown();
        if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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
        private int maxInboundBytes = 64 * 1024 * 1024;
        private final List<BindableService> services = new ArrayList<>();
        private final List<Runnable> beforeStop = new ArrayList<>();

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

        public ServiceServer build() {
            return new ServiceServer(this);
        }
    }
}
