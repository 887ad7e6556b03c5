package io.ensemblescope.rpc;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Serves a registry's Prometheus text exposition at {@code /metrics} on its own HTTP port. */
public final class PrometheusEndpoint implements AutoCloseable {
    /** The Prometheus text format 0.0.4 content type, which promtool and every Prometheus server accept. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private PrometheusEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code host}:{@code port} (0 picks a free port). Plain HTTP without authentication, as
     * Prometheus scrapes it: the text holds meters, never request data, and its labels only loaded model names and
     * configured split names.
     */
    public static PrometheusEndpoint start(PrometheusMeterRegistry registry, String host, int port)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        // One daemon thread is plenty for a scrape every few seconds and never blocks JVM exit.
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "prometheus-endpoint");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new PrometheusEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
