package io.ensemblescope.inference.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.inference.serving.ServingOptions;
import io.ensemblescope.rpc.Meters;
import io.ensemblescope.rpc.ServerOptions;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.testing.TestPki;
import io.ensemblescope.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The inference server as {@code escope serve inference --tls-cert … --tls-key … --auth-tokens …} runs it: the native
 * API, the Open Inference Protocol over gRPC and its REST binding over HTTPS, all with the same certificate, tokens
 * and roles, and real predictions through them.
 */
class SecureInferenceServerTest {
    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestTokens tokens;
    private static InferenceServer.Running server;
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir, "inference-test");
        TestPki.Issued cert = pki.server("inference", "localhost", "127.0.0.1");
        tokens = TestTokens.write(dir);
        ServerOptions listen = new ServerOptions(0, -1);
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ServerOptions options = listen;
        }).parseArgs("--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString(),
                "--auth-tokens", tokens.file().toString());
        PrometheusMeterRegistry registry = Meters.newRegistry("inference");
        server = InferenceServer.start(listen, 0, ServerHarness.MAX_INBOUND, new InferenceEngine(
                TinyCheckpoints.store(), ServingOptions.defaults(ai.djl.Device.cpu()), registry), registry,
                MonitoringOptions.DEFAULT);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.stop();
        server.server().security().close();
    }

    private static ManagedChannel channel(Path tokenFile) {
        ManagedChannel c = ClientSecurity.of("--", false, pki.caPem(), null, null, tokenFile, null, Duration.ZERO)
                .channel("127.0.0.1:" + server.server().port());
        channels.add(c);
        return c;
    }

    @Test
    void predictRolesServeTheDataPlaneAndOnlyAdminsLoadOrUnload() {
        var predict = InferenceServiceGrpc.newBlockingStub(channel(tokens.predict()))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        PredictResponse r = predict.predict(ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 2));
        assertEquals(2, r.getMemberProbabilities().getBatch());
        // ReportOutcomes is data plane: it passes authorization (an empty report is simply nothing to record).
        predict.reportOutcomes(ReportOutcomesRequest.getDefaultInstance());
        var oip = GRPCInferenceServiceGrpc.newBlockingStub(channel(tokens.predict()))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("UINT8").addShape(1).addShape(1).addShape(28).addShape(28);
        assertTrue(oip.modelInfer(ModelInferRequest.newBuilder().setModelName(TinyCheckpoints.SINGLE)
                .addInputs(input).addRawInputContents(ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1).getInput()
                        .getRawData()).build()).getOutputsCount() > 0);

        ModelRef be = ModelRef.newBuilder().setName(TinyCheckpoints.BE).build();
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> predict.loadModel(LoadModelRequest.newBuilder().setModel(be).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertThrows(StatusRuntimeException.class, () -> predict.unloadModel(UnloadModelRequest.newBuilder()
                .setModel(be).build()));
        var admin = InferenceServiceGrpc.newBlockingStub(channel(tokens.admin())).withDeadlineAfter(60,
                TimeUnit.SECONDS);
        assertEquals(TinyCheckpoints.BE, admin.loadModel(LoadModelRequest.newBuilder().setModel(be).build())
                .getRef().getName());
        // Listing reads the store's manifests: admin only.
        ListModelsRequest list = ListModelsRequest.getDefaultInstance();
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> predict.listModels(list)).getStatus().getCode());
        assertTrue(admin.listModels(list).getModelsCount() > 0);

        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> InferenceServiceGrpc
                .newBlockingStub(channel(null)).predict(ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1)));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void theRestBindingSpeaksHttpsWithTheSameCertificateAndTokens() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(pki.caPem()))
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI base = URI.create("https://127.0.0.1:" + server.httpPort());

        HttpResponse<String> none = https.send(get(base.resolve("/v2/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, https.send(get(base.resolve("/v2/health/ready")).header("Authorization", "Bearer "
                + "z".repeat(32)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        String bearer = "Bearer " + tokens.predictToken();
        assertEquals(200, https.send(get(base.resolve("/v2/health/ready")).header("Authorization", bearer).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        StringBuilder pixels = new StringBuilder();
        for (byte b : ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1).getInput().getRawData().toByteArray()) {
            pixels.append(pixels.length() == 0 ? "" : ",").append(b & 0xFF);
        }
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,1,28,28],\"data\":["
                + pixels + "]}]}";
        HttpResponse<String> infer = https.send(HttpRequest.newBuilder(base.resolve("/v2/models/"
                        + TinyCheckpoints.SINGLE + "/infer")).timeout(Duration.ofSeconds(60))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, infer.statusCode(), infer.body());
        assertTrue(infer.body().contains("\"probabilities\""), infer.body());

        HttpClient untrusting = HttpClient.newBuilder().sslContext(trusting(TestPki.create(
                Files.createDirectories(dir.resolve("other")), "other").caPem())).build();
        assertThrows(java.io.IOException.class, () -> untrusting.send(get(base.resolve("/v2/health/live"))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()));
        assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(get(URI.create(
                "http://127.0.0.1:" + server.httpPort() + "/v2/health/live")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
