package io.ensemblescope.rpc;

import picocli.CommandLine.Option;

/**
 * How a service listens: the options every server main shares, as a picocli mixin. {@code escope serve <service>} and
 * the service's own main parse the same command class, so README commands, the Helm chart's args and the mains spell
 * these flags one way.
 *
 * <p>A server declares it with its default ports, {@code @Mixin ServerOptions listen = new ServerOptions(50051, 9101)}
 * (picocli keeps an instance it finds in the field), and builds its {@link ServiceServer} through
 * {@link #configure(ServiceServer.Builder)}. Whatever else decides how a server listens (bind address, TLS, client
 * authentication) belongs here as further options applied in {@code configure}, so every service gains it at once.
 */
public final class ServerOptions {
    private static final int MAX_PORT = 65_535;

    @Option(names = "--port", paramLabel = "PORT", description = "gRPC port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Prometheus /metrics HTTP port; 0 picks a free one, negative serves none (default ${DEFAULT-VALUE}).")
    int metricsPort;

    /** Options with a service's default ports (picocli shows them as the defaults). */
    public ServerOptions(int port, int metricsPort) {
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /** The gRPC port asked for (0: any free port). */
    public int port() {
        return check("--port", port, 0);
    }

    /** The Prometheus port asked for (0: any free port, negative: none). */
    public int metricsPort() {
        return metricsPort < 0 ? -1 : check("--metrics-port", metricsPort, 0);
    }

    /** Applies these options to a server under construction. */
    public ServiceServer.Builder configure(ServiceServer.Builder builder) {
        return builder.port(port()).metricsPort(metricsPort());
    }

    private static int check(String flag, int value, int min) {
        if (value < min || value > MAX_PORT) {
            throw new IllegalArgumentException(flag + " must be a port in " + min + ".." + MAX_PORT + ", got " + value);
        }
        return value;
    }
}
