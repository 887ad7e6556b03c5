package io.ensemblescope.inference.oip.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.ensemblescope.inference.oip.BindingParameters;
import io.ensemblescope.inference.oip.InferRequest;
import io.ensemblescope.inference.oip.InferResult;
import io.ensemblescope.inference.oip.OipOutput;
import io.ensemblescope.inference.oip.OipText;
import io.ensemblescope.inference.oip.OpenInference;
import io.ensemblescope.rpc.security.AccessDenied;
import io.ensemblescope.rpc.security.Authenticator;
import io.ensemblescope.rpc.security.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol's REST binding: routes {@code /v2/...} to {@link OpenInference}, reads the inference request JSON
 * (and the binary tensor data extension), answers with the protocol's JSON objects or {@code {"error": "..."}}.
 * Request bodies above the byte limit are refused (413) before they are read. With an {@link Authenticator}, every
 * endpoint needs role predict (this binding has nothing admin): no or a wrong {@code Authorization: Bearer} token is
 * 401 with {@code WWW-Authenticate: Bearer}, a caller without the role 403, before the request is looked at.
 */
final class OipHttpHandler implements HttpHandler {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String BINARY_DATA = "binary_data";
    static final String BINARY_DATA_OUTPUT = "binary_data_output";
    static final BindingParameters REST = new BindingParameters(Set.of(BINARY_DATA_OUTPUT),
            Set.of(InferRequestJson.BINARY_DATA_SIZE), Set.of(BINARY_DATA));
    private static final Logger log = LoggerFactory.getLogger(OipHttpHandler.class);
    private static final String JSON = "application/json";

    private final OpenInference oip;
    private final int maxBodyBytes;
    private final MeterRegistry registry;
    private final Authenticator authenticator;

    /** @param authenticator who may call; null lets every caller that reaches the port in */
    OipHttpHandler(OpenInference oip, int maxBodyBytes, MeterRegistry registry, Authenticator authenticator) {
        this.oip = oip;
        this.maxBodyBytes = maxBodyBytes;
        this.registry = registry;
        this.authenticator = authenticator;
    }

    /** The protocol's endpoints, as meter tags. */
    enum Route { SERVER_METADATA, SERVER_LIVE, SERVER_READY, MODEL_METADATA, MODEL_READY, MODEL_INFER, UNKNOWN }

    /** A response: status, content type, JSON and optional binary tail. */
    private record Reply(int code, byte[] json, byte[] binary) {
        static Reply json(int code, byte[] json) {
            return new Reply(code, json, null);
        }

        static Reply empty(int code) {
            return new Reply(code, new byte[0], null);
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        Route route = Route.UNKNOWN;
        Reply reply;
        try {
            authorize(ex);
            List<String> path = segments(ex.getRequestURI().getRawPath());
            route = route(path);
            reply = serve(ex, route, path, start);
        } catch (AccessDenied e) {
            if (e.unauthenticated()) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ensemblescope\"");
            }
            reply = Reply.json(e.unauthenticated() ? 401 : 403, OipJson.error(e.getMessage()));
        } catch (PayloadTooLarge e) {
            ex.getResponseHeaders().set("Connection", "close");
            reply = Reply.json(413, OipJson.error(e.getMessage()));
        } catch (JsonProcessingException e) {
            reply = Reply.json(400, OipJson.error("request body: not valid JSON ("
                    + OipText.quote(e.getOriginalMessage()) + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ")"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            HttpStatusCodes.Failure f = HttpStatusCodes.of(e);
            if (f.code() >= 500 && f.code() != 503) {
                log.warn("OIP REST {} {}: {} {}", ex.getRequestMethod(), route, f.code(), f.message());
            }
            reply = Reply.json(f.code(), OipJson.error(f.message()));
        }
        send(ex, reply);
        Timer.builder("inference.http.requests").description("Open Inference Protocol REST requests")
                .tags("route", route.name().toLowerCase(java.util.Locale.ROOT), "code",
                        Integer.toString(reply.code())).register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void authorize(HttpExchange ex) throws AccessDenied {
        if (authenticator == null) {
            return;
        }
        Certificate[] peer = null;
        if (ex instanceof HttpsExchange https) {
            try {
                peer = https.getSSLSession().getPeerCertificates();
            } catch (SSLPeerUnverifiedException e) {
                peer = null;
            }
        }
        Authenticator.authorize(authenticator.authenticate(ex.getRequestHeaders().getFirst("Authorization"), peer),
                Role.PREDICT, "the Open Inference Protocol REST API");
    }

    private Reply serve(HttpExchange ex, Route route, List<String> path, long start) throws Exception {
        String method = ex.getRequestMethod();
        String allowed = route == Route.MODEL_INFER ? "POST" : "GET";
        if (route == Route.UNKNOWN) {
            return Reply.json(404, OipJson.error("no endpoint " + OipText.quote(ex.getRequestURI().getRawPath())
                    + "; see /v2, /v2/health/{live,ready}, /v2/models/{name}[/versions/{v}][/ready|/infer]"));
        }
        if (!allowed.equals(method)) {
            ex.getResponseHeaders().set("Allow", allowed);
            return Reply.json(405, OipJson.error(OipText.quote(method) + " is not allowed here; use " + allowed));
        }
        String name = path.size() > 2 ? path.get(2) : null;
        String version = path.size() > 4 && path.get(3).equals("versions") ? path.get(4) : "";
        return switch (route) {
            case SERVER_METADATA -> Reply.json(200, OipJson.serverMetadata(OpenInference.SERVER_NAME,
                    oip.serverVersion(), OpenInference.EXTENSIONS));
            case SERVER_LIVE -> health(oip.live(), "server is not live");
            case SERVER_READY -> health(oip.ready(), "server is not ready (loading a model or shutting down)");
            case MODEL_METADATA -> Reply.json(200, OipJson.modelMetadata(oip.modelMetadata(name, version)));
            case MODEL_READY -> health(oip.modelReady(name, version), "model " + OipText.quote(name)
                    + " is not ready (not loaded yet, loading or unloaded)");
            case MODEL_INFER -> infer(ex, name, version, start);
            case UNKNOWN -> throw new IllegalStateException("unreachable");
        };
    }

    /** 200 for true, 4xx for false, as the protocol's health endpoints answer. */
    private static Reply health(boolean ok, String why) {
        return ok ? Reply.empty(200) : Reply.json(400, OipJson.error(why));
    }

    private Reply infer(HttpExchange ex, String name, String version, long start) throws Exception {
        byte[] body = body(ex);
        int jsonLength = jsonLength(ex, body.length);
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        InferRequest request = InferRequestJson.read(body, jsonLength, binary, name, version);
        InferResult result = oip.infer(request, REST, start, Long.MAX_VALUE, () -> false).get();
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        byte[] json = OipJson.inferResponse(result, binaryOutputs(request), tail);
        return new Reply(200, json, tail.size() == 0 ? null : tail.toByteArray());
    }

    /** Outputs to send as binary: those asking binary_data, else all when the request asks binary_data_output. */
    private static Set<OipOutput> binaryOutputs(InferRequest r) {
        boolean all = Boolean.TRUE.equals(r.parameters().get(BINARY_DATA_OUTPUT));
        Set<OipOutput> out = EnumSet.noneOf(OipOutput.class);
        if (r.outputs().isEmpty()) {
            if (all) {
                out.addAll(Arrays.asList(OipOutput.values()));
            }
            return out;
        }
        for (InferRequest.RequestedOutput o : r.outputs()) {
            Object flag = o.parameters().get(BINARY_DATA);
            if (flag instanceof Boolean b ? b : all) {
                out.add(OipOutput.named(o.name(), "outputs.name"));
            }
        }
        return out;
    }

    private int jsonLength(HttpExchange ex, int bodyLength) {
        String header = ex.getRequestHeaders().getFirst(HEADER_LENGTH);
        if (header == null) {
            return bodyLength;
        }
        try {
            int n = Integer.parseInt(header.trim());
            if (n >= 0 && n <= bodyLength) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(HEADER_LENGTH + ": must be a byte count within the " + bodyLength
                + "-byte body, got " + OipText.quote(header));
    }

    /** The request body, refused when its length (declared or read) is above the limit. */
    private byte[] body(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    throw new PayloadTooLarge(maxBodyBytes);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length: not a number, " + OipText.quote(declared));
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new PayloadTooLarge(maxBodyBytes);
            }
            return body;
        }
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        boolean hasBinary = reply.binary() != null;
        if (hasBinary) {
            ex.getResponseHeaders().set(HEADER_LENGTH, Integer.toString(reply.json().length));
        }
        int length = reply.json().length + (hasBinary ? reply.binary().length : 0);
        if (length > 0) {
            ex.getResponseHeaders().set("Content-Type", hasBinary ? "application/octet-stream" : JSON);
        }
        ex.sendResponseHeaders(reply.code(), length == 0 ? -1 : length);
        if (length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.json());
                if (hasBinary) {
                    out.write(reply.binary());
                }
            }
        }
        ex.close();
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static Route route(List<String> p) {
        if (p.isEmpty() || !p.get(0).equals("v2")) {
            return Route.UNKNOWN;
        }
        if (p.size() == 1) {
            return Route.SERVER_METADATA;
        }
        if (p.size() == 3 && p.get(1).equals("health")) {
            return switch (p.get(2)) {
                case "live" -> Route.SERVER_LIVE;
                case "ready" -> Route.SERVER_READY;
                default -> Route.UNKNOWN;
            };
        }
        if (!p.get(1).equals("models") || p.size() < 3) {
            return Route.UNKNOWN;
        }
        // /v2/models/{name}[/versions/{v}][/ready|/infer]
        int tail = p.size() >= 5 && p.get(3).equals("versions") ? 5 : 3;
        if (p.size() == tail) {
            return Route.MODEL_METADATA;
        }
        if (p.size() == tail + 1) {
            return switch (p.get(tail)) {
                case "ready" -> Route.MODEL_READY;
                case "infer" -> Route.MODEL_INFER;
                default -> Route.UNKNOWN;
            };
        }
        return Route.UNKNOWN;
    }

    /** A body above the limit: 413, the connection closed. */
    private static final class PayloadTooLarge extends IOException {
        PayloadTooLarge(int limit) {
            super("request body: larger than the server's limit of " + limit + " bytes (--max-inbound-bytes)");
        }
    }
}
