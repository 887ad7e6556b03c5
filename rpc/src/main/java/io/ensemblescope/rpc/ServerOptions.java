package io.ensemblescope.rpc;

import io.ensemblescope.rpc.security.SecurityOptions;
import io.ensemblescope.rpc.security.ServerSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a service listens: the options every server main shares, as a picocli mixin. {@code escope serve <service>} and
 * the service's own main parse the same command class, so README commands, the Helm chart's args and the mains spell
 * these flags one way.
 *
 * <p>A server declares it with its default ports, {@code @Mixin ServerOptions listen = new ServerOptions(50051, 9101)}
 * (picocli keeps an instance it finds in the field), and builds its {@link ServiceServer} through
 * {@link #configure(ServiceServer.Builder)}. The bind address, TLS and authorization come from the nested
 * {@link SecurityOptions} ({@code --host}, {@code --tls-*}, {@code --auth-tokens}, …), so every service has them.
 */
public final class ServerOptions {
    private static final int MAX_PORT = 65_535;

    @Option(names = "--port", paramLabel = "PORT", description = "gRPC port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Prometheus /metrics HTTP port; 0 picks a free one, negative serves none (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--health-port", paramLabel = "PORT", description = "Plaintext port answering only the overall"
            + " gRPC health check, without credentials, for kubelet probes; negative serves none (default"
            + " ${DEFAULT-VALUE}).")
    int healthPort = -1;

    @Mixin
    SecurityOptions securityOptions = new SecurityOptions();

    private ServerSecurity security;
    private String inProcessName;

    /** Options with a service's default ports (picocli shows them as the defaults). */
    public ServerOptions(int port, int metricsPort) {
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /** Uses {@code security} instead of what the security flags describe (servers started inside a command). */
    public ServerOptions security(ServerSecurity security) {
        this.security = security;
        return this;
    }

    /** Also serves over the in-process transport under {@code name}, for this JVM only (null: not). */
    public ServerOptions inProcess(String name) {
        this.inProcessName = name;
        return this;
    }

    /** The host, TLS and authorization of this server: its flags', unless {@link #security(ServerSecurity)} set one. */
    public ServerSecurity security() {
        return security != null ? security : securityOptions.resolve();
    }

    /** How often this server's credential files are read again ({@code --credentials-reload-seconds}). */
    public java.time.Duration reloadPeriod() {
        return securityOptions.reloadPeriod();
    }

    /** The gRPC port asked for (0: any free port). */
    public int port() {
        return check("--port", port, 0);
    }

    /** The Prometheus port asked for (0: any free port, negative: none). */
    public int metricsPort() {
        return metricsPort < 0 ? -1 : check("--metrics-port", metricsPort, 0);
    }

    /** The health probe port asked for (0: any free port, negative: none). */
    public int healthPort() {
        return healthPort < 0 ? -1 : check("--health-port", healthPort, 0);
    }

    /** Applies these options to a server under construction. */
    public ServiceServer.Builder configure(ServiceServer.Builder builder) {
        return builder.port(port()).metricsPort(metricsPort()).healthPort(healthPort()).security(security())
                .inProcess(inProcessName);
    }

    private static int check(String flag, int value, int min) {
        if (value < min || value > MAX_PORT) {
            throw new IllegalArgumentException(flag + " must be a port in " + min + ".." + MAX_PORT + ", got " + value);
        }
        return value;
    }
}
