package io.ensemblescope.inference.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensemblescope.api.oip.ModelInferResponse;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Open Inference Protocol's REST binding round-tripped with the JDK's HttpClient: the JSON tensor format, the
 * binary tensor data extension, health and metadata, and the error object with its status codes.
 */
class OipRestTest {
    /** Floats kept as their decimal text, so a float32 parses back exactly. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AutoClose
    private static final ServerHarness server = ServerHarness.cpuDefaults();

    private static HttpResponse<byte[]> get(ServerHarness s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(s.http.resolve(path)).timeout(Duration.ofSeconds(60)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(ServerHarness s, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http.resolve(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, JsonNode body) throws Exception {
        return post(server, path, JSON.writeValueAsBytes(body));
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** An inference request of n test images from {@code from}, pixels as nested [n][1][28][28] arrays. */
    private static ObjectNode pixelsRequest(int from, int n) {
        byte[] px = OipRequests.nativePixels(TinyCheckpoints.BE, from, n).getInput().getRawData().toByteArray();
        ObjectNode root = JSON.createObjectNode().put("id", "rest-" + from);
        ObjectNode input = root.putArray("inputs").addObject().put("name", "input").put("datatype", "UINT8");
        input.putArray("shape").add(n).add(1).add(28).add(28);
        ArrayNode samples = input.putArray("data");
        for (int s = 0; s < n; s++) {
            ArrayNode rows = samples.addArray().addArray();
            for (int y = 0; y < 28; y++) {
                ArrayNode row = rows.addArray();
                for (int x = 0; x < 28; x++) {
                    row.add(px[s * 784 + y * 28 + x] & 0xFF);
                }
            }
        }
        return root;
    }

    /** Output {@code name}'s data parsed as float32 from its decimal text. */
    private static float[] output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                JsonNode data = o.get("data");
                float[] out = new float[data.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.parseFloat(data.get(i).decimalValue().toString());
                }
                return out;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }

    private static void assertError(HttpResponse<byte[]> r, int code, String mentions) throws Exception {
        assertEquals(code, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode body = json(r);
        assertEquals(1, body.size(), "only the error field: " + body);
        assertTrue(body.get("error").asText().contains(mentions), body.toString());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void serverMetadataAndHealth() throws Exception {
        JsonNode meta = json(get(server, "/v2"));
        assertEquals("ensemblescope", meta.get("name").asText());
        assertEquals("binary_tensor_data", meta.get("extensions").get(0).asText());
        assertEquals(200, get(server, "/v2/").statusCode());
        assertEquals(200, get(server, "/v2/health/live").statusCode());
        assertEquals(200, get(server, "/v2/health/ready").statusCode());
    }

    @Test
    void modelMetadataAndReadiness() throws Exception {
        JsonNode be = json(get(server, "/v2/models/be"));
        assertEquals("ensemblescope_batch_ensemble", be.get("platform").asText());
        assertEquals("[\"v1\",\"v2\"]", be.get("versions").toString());
        assertEquals("[-1,1,28,28]", be.get("inputs").get(0).get("shape").toString());
        assertEquals("4", be.get("properties").get("k").asText());
        assertEquals("v1", json(get(server, "/v2/models/be/versions/v1")).get("properties").get("version")
                .asText());
        try {
            server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                    .setName(TinyCheckpoints.SINGLE)).build());
        } catch (StatusRuntimeException notLoaded) {
            // not loaded yet: what this test needs
        }
        assertError(get(server, "/v2/models/single/ready"), 400, "not ready");
        post("/v2/models/single/infer", pixelsRequest(0, 1));
        assertEquals(200, get(server, "/v2/models/single/ready").statusCode());
        assertEquals(200, get(server, "/v2/models/single/versions/v1/ready").statusCode());
        assertError(get(server, "/v2/models/nosuchmodel/ready"), 404, "nosuchmodel");
        assertError(get(server, "/v2/models/nosuchmodel"), 404, "nosuchmodel");
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyCheckpoints.SINGLE, TinyCheckpoints.DE, TinyCheckpoints.BE})
    void jsonInferenceEqualsTheNativeApiBitForBit(String model) throws Exception {
        PredictResponse nat = server.blocking.predict(OipRequests.nativePixels(model, 7, 3).toBuilder()
                .setReturnLogits(true).build());
        HttpResponse<byte[]> r = post("/v2/models/" + model + "/infer", pixelsRequest(7, 3));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode body = json(r);
        assertEquals(model, body.get("model_name").asText());
        assertEquals("rest-7", body.get("id").asText());
        assertArrayEquals(ProtoCodec.floats(nat.getMemberProbabilities().getData()),
                output(body, "member_probabilities"));
        assertArrayEquals(ProtoCodec.floats(nat.getMeanProbabilities().getRawData()), output(body, "probabilities"));
        assertArrayEquals(ProtoCodec.floats(nat.getLogits().getData()), output(body, "logits"));
        int k = nat.getMemberProbabilities().getMembers();
        assertEquals("[" + k + ",3,10]", body.get("outputs").get(1).get("shape").toString());
        assertEquals(3, output(body, "mutual_information").length);
    }

    @Test
    void binaryTensorDataRoundTripsAndEqualsGrpc() throws Exception {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("parameters").put("binary_data_output", true).put("mc_samples", 3);
        ObjectNode input = header.putArray("inputs").addObject().put("name", "input").put("datatype", "UINT8");
        input.putArray("shape").add(2).add(1).add(28).add(28);
        input.putObject("parameters").put("binary_data_size", 2 * 784);
        header.putArray("outputs").addObject().put("name", "member_probabilities");
        header.withArray("outputs").addObject().put("name", "predictive_entropy").putObject("parameters")
                .put("binary_data", false);
        byte[] json = JSON.writeValueAsBytes(header);
        byte[] px = OipRequests.nativePixels(TinyCheckpoints.MC, 0, 2).getInput().getRawData().toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(px);

        server.blocking.loadModel(io.ensemblescope.api.v1.LoadModelRequest.newBuilder().setModel(ModelRef
                .newBuilder().setName(TinyCheckpoints.MC)).build());
        HttpResponse<byte[]> r = post(server, "/v2/models/mc/infer", body.toByteArray(),
                "Inference-Header-Content-Length", Integer.toString(json.length));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode meta = JSON.readTree(Arrays.copyOf(r.body(), jsonLength));
        JsonNode members = meta.get("outputs").get(0);
        int size = members.get("parameters").get("binary_data_size").asInt();
        assertEquals(3 * 2 * 10 * 4, size);
        assertEquals(jsonLength + size, r.body().length);
        float[] fromRest = new float[size / 4];
        ByteBuffer.wrap(r.body(), jsonLength, size).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(fromRest);
        assertEquals(2, meta.get("outputs").get(1).get("data").size(), "binary_data false keeps JSON");

        server.blocking.loadModel(io.ensemblescope.api.v1.LoadModelRequest.newBuilder().setModel(ModelRef
                .newBuilder().setName(TinyCheckpoints.MC)).build());
        ModelInferResponse grpc = server.oip.modelInfer(OipRequests.pixels(TinyCheckpoints.MC, 0, 2)
                .putParameters("mc_samples", OipRequests.int64(3)).build());
        assertArrayEquals(OipRequests.floats(grpc, "member_probabilities"), fromRest);
    }

    @Test
    void badRequestsGetTheErrorObject() throws Exception {
        ObjectNode unknownParameter = pixelsRequest(0, 1);
        unknownParameter.putObject("parameters").put("temperature", 2);
        assertError(post("/v2/models/be/infer", unknownParameter), 400, "'temperature'");
        assertError(post("/v2/models/nosuchmodel/infer", pixelsRequest(0, 1)), 404, "nosuchmodel");
        assertError(post(server, "/v2/models/be/infer", "{\"inputs\": [".getBytes(StandardCharsets.UTF_8)), 400,
                "not valid JSON");
        assertError(post(server, "/v2/models/be/infer", "[]".getBytes(StandardCharsets.UTF_8)), 400,
                "must be a JSON object");

        ObjectNode pixel300 = pixelsRequest(0, 1);
        ((ArrayNode) pixel300.get("inputs").get(0).get("data").get(0).get(0).get(0)).set(0, 300);
        assertError(post("/v2/models/be/infer", pixel300), 400, "0..255");
        ObjectNode fraction = pixelsRequest(0, 1);
        ((ArrayNode) fraction.get("inputs").get(0).get("data").get(0).get(0).get(0)).set(3, 1.5);
        assertError(post("/v2/models/be/infer", fraction), 400, "element 3");
        ObjectNode shortData = pixelsRequest(0, 1);
        ((ObjectNode) shortData.get("inputs").get(0)).putArray("data").add(1).add(2).add(3);
        assertError(post("/v2/models/be/infer", shortData), 400, "inputs[0].data: 3 elements");
        ObjectNode fp64 = pixelsRequest(0, 1);
        ((ObjectNode) fp64.get("inputs").get(0)).put("datatype", "FP64");
        assertError(post("/v2/models/be/infer", fp64), 400, "inputs[0].datatype");
        ObjectNode mc = pixelsRequest(0, 1);
        mc.putObject("parameters").put("mc_samples", 3);
        assertError(post("/v2/models/be/infer", mc), 400, "mc_samples");
        assertError(post("/v2/models/be/versions/v9/infer", pixelsRequest(0, 1)), 404, "v9");
        assertError(post("/v2/models/be/versions/..%2F..%2Fetc/infer", pixelsRequest(0, 1)), 400,
                "model_version");

        byte[] json = JSON.writeValueAsBytes(pixelsRequest(0, 1));
        assertError(post(server, "/v2/models/be/infer", json, "Inference-Header-Content-Length", "999999"), 400,
                "Inference-Header-Content-Length");
        ObjectNode binary = pixelsRequest(0, 1);
        ((ObjectNode) binary.get("inputs").get(0)).remove("data");
        ((ObjectNode) binary.get("inputs").get(0)).putObject("parameters").put("binary_data_size", 784);
        byte[] header = JSON.writeValueAsBytes(binary);
        assertError(post(server, "/v2/models/be/infer", header, "Inference-Header-Content-Length",
                Integer.toString(header.length)), 400, "binary_data_size");

        assertError(get(server, "/v2/models/be/infer"), 405, "use POST");
        assertError(get(server, "/v3/models"), 404, "no endpoint");
        assertError(get(server, "/v2/models/be/explain"), 404, "no endpoint");
    }

    @Test
    void aBodyAboveTheLimitIsRefusedBeforeItIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.running.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/be/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (ServerHarness.MAX_INBOUND + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", response);
        }
    }

    @Test
    void aModelThatIsNotLoadedIsServiceUnavailableWithoutAutoload() throws Exception {
        try (ServerHarness manual = new ServerHarness(ServingOptions.defaults(Device.cpu()).withAutoload(false),
                ForwardListener.NONE)) {
            HttpResponse<byte[]> r = post(manual, "/v2/models/single/infer",
                    JSON.writeValueAsBytes(pixelsRequest(0, 1)));
            assertError(r, 503, "not loaded");
            assertError(get(manual, "/v2/models/single/ready"), 400, "not ready");
        }
    }

    @Test
    void restRequestsAreMetered() throws Exception {
        get(server, "/v2/health/live");
        String scrape = server.running.server().registry().scrape();
        assertTrue(scrape.contains("inference_http_requests_seconds_count{code=\"200\",route=\"server_live\""),
                scrape.lines().filter(l -> l.contains("http")).toList().toString());
    }
}
