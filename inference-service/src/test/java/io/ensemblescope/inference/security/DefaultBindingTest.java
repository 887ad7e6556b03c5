package io.ensemblescope.inference.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.testing.TestTokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where the inference server's four ports listen (gRPC, Prometheus, the REST binding, the health probe port; the
 * trainer and metrics services bind through the same ServiceServer): on 127.0.0.1 unless {@code --host} says
 * otherwise. Told apart on loopback alone: 127.0.0.2 is a loopback address too, reached only by a socket bound to
 * every interface (or to it).
 */
class DefaultBindingTest {
    @TempDir
    Path dir;

    @Test
    void everyPortBindsLoopbackByDefault() throws Exception {
        withServer(ports -> {
            for (Map.Entry<String, Integer> p : ports.entrySet()) {
                connect("127.0.0.1", p.getValue()); // listening
                assertThrows(ConnectException.class, () -> connect("127.0.0.2", p.getValue()),
                        p.getKey() + " port " + p.getValue() + " must not listen beyond 127.0.0.1");
            }
        });
    }

    @Test
    void hostZeroBindsEveryInterfaceForEveryPort() throws Exception {
        TestTokens tokens = TestTokens.write(dir);
        withServer(ports -> {
            for (Map.Entry<String, Integer> p : ports.entrySet()) {
                connect("127.0.0.2", p.getValue()); // the control: this check sees an all-interfaces bind
            }
        }, "--host", "0.0.0.0", "--auth-tokens", tokens.file().toString());
    }

    private interface PortCheck {
        void check(Map<String, Integer> ports) throws IOException;
    }

    /** Starts a server with {@code flags} on free ports (a health probe port too), checks its ports, stops it. */
    private static void withServer(PortCheck check, String... flags) throws Exception {
        ServerOptions listen = new ServerOptions(0, 0);
        List<String> args = new ArrayList<>(List.of("--health-port", "0"));
        args.addAll(List.of(flags));
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ServerOptions options = listen;
        }).parseArgs(args.toArray(String[]::new));
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        InferenceServer.Running server = InferenceServer.start(listen, 0, ServerHarness.MAX_INBOUND,
                new InferenceEngine(TinyCheckpoints.store(), ServingOptions.defaults(ai.djl.Device.cpu()), registry),
                registry, MonitoringOptions.DEFAULT);
        try {
            Map<String, Integer> ports = Map.of("gRPC", server.server().port(), "metrics",
                    server.server().metricsPort(), "REST", server.httpPort(), "health", server.server().healthPort());
            ports.forEach((name, port) -> assertTrue(port > 0, name + " port " + port));
            check.check(ports);
        } finally {
            server.stop();
            server.server().security().close();
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
        }
    }
}
