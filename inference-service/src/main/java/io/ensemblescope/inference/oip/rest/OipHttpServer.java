package io.ensemblescope.inference.oip.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.ensemblescope.inference.oip.OpenInference;
import io.ensemblescope.rpc.security.ServerSecurity;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol's REST binding on its own HTTP port (the JDK's HTTP server), in the grpc-java
 * example's shape: start, port, stop. Requests run on a fixed pool of threads; stopping refuses new requests (503)
 * and lets those in flight finish within the grace period. It binds the host of the server's {@link ServerSecurity},
 * speaks HTTPS with the same PEM identity as the gRPC port (client certificates required when the gRPC port requires
 * them), and authorizes requests with the same tokens and roles.
 */
public final class OipHttpServer {
    private static final Logger log = LoggerFactory.getLogger(OipHttpServer.class);
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Object lock = new Object();
    private int inFlight;
    private boolean closing;

    private OipHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Serves {@code oip} on {@code port} (0: any free port) of {@code security}'s host.
     *
     * @param maxBodyBytes largest request body accepted (the gRPC message limit, so both bindings take the same)
     * @param threadCount requests handled at once; more wait for a thread
     */
    public static OipHttpServer start(OpenInference oip, ServerSecurity security, int port, int maxBodyBytes,
                                      MeterRegistry registry, int threadCount) throws IOException {
        // The JDK server writes a response's headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (~40 ms a request). The JDK reads this once, when its first
        // HTTP server starts, so a user's own setting wins and a server started earlier in the JVM keeps its own.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        InetSocketAddress address = new InetSocketAddress(security.host(), port);
        SSLContext tls = security.sslContext();
        HttpServer server = tls == null ? HttpServer.create(address, 0) : https(address, tls,
                security.requiresClientCertificates());
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "oip-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        OipHttpServer s = new OipHttpServer(server, threads);
        OipHttpHandler handler = new OipHttpHandler(oip, maxBodyBytes, registry, security.authenticator());
        server.createContext("/", exchange -> s.handle(handler, exchange));
        server.setExecutor(threads);
        server.start();
        log.info("Open Inference Protocol REST on {}://{}:{}/v2", tls == null ? "http" : "https",
                address.getHostString(), s.port());
        return s;
    }

    private static HttpsServer https(InetSocketAddress address, SSLContext tls, boolean needClientCertificates)
            throws IOException {
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(needClientCertificates);
                params.setSSLParameters(p);
            }
        });
        return server;
    }

    private void handle(OipHttpHandler handler, HttpExchange exchange) throws IOException {
        boolean refused;
        synchronized (lock) {
            refused = closing;
            if (!refused) {
                inFlight++;
            }
        }
        if (refused) {
            byte[] body = OipJson.error("server is shutting down");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        try {
            handler.handle(exchange);
        } finally {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Refuses new requests, waits up to {@code graceSeconds} for those in flight, then closes the port. */
    public void stop(long graceSeconds) throws InterruptedException {
        synchronized (lock) {
            closing = true;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
            while (inFlight > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
