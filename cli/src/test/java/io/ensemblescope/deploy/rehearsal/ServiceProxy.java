package io.ensemblescope.deploy.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Service port as kube-proxy serves it: a loopback address whose connections go to the ready endpoints in turn
 * (per connection, as kube-proxy balances; gRPC then keeps its one connection on one pod).
 */
final class ServiceProxy implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final List<Integer> endpoints = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    ServiceProxy(String name) throws IOException {
        this.name = name;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "service-" + name);
        accept.setDaemon(true);
        accept.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** A pod became ready: its port joins the endpoints. */
    void ready(int hostPort) {
        endpoints.add(hostPort);
    }

    void gone(int hostPort) {
        endpoints.remove((Integer) hostPort);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                List<Integer> ready = List.copyOf(endpoints);
                if (ready.isEmpty()) {
                    client.close(); // no ready endpoint: connection refused, as with an empty Service
                    continue;
                }
                Socket backend = new Socket();
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        ready.get(Math.floorMod(next.getAndIncrement(), ready.size()))), 5_000);
                open.add(client);
                open.add(backend);
                pump(client, backend);
                pump(backend, client);
            } catch (IOException e) {
                // a refused backend drops this connection only; a closed server socket ends the loop
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "service-" + name + "-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(ServiceProxy::closeQuietly);
    }
}
