package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.rpc.security.ClientSecurity;
import io.ensemblescope.rpc.security.SecurityOptions;
import io.ensemblescope.rpc.security.ServerSecurity;
import io.ensemblescope.testing.TestPki;
import io.ensemblescope.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * TLS, mTLS and authorization of a ServiceServer over real loopback netty, with certificates made in the test: every
 * refusal has the status the gRPC spec gives it, and rotated files apply without a restart.
 */
class SecureServiceServerTest {
    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Issued serverCert;
    private TestTokens tokens;
    private Path wrongToken;
    private final List<ServiceServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void pki() throws Exception {
        pki = TestPki.create(dir, "escope-test");
        serverCert = pki.server("server", "localhost", "127.0.0.1");
        tokens = TestTokens.write(dir);
        wrongToken = Files.writeString(dir.resolve("wrong.token"), "x".repeat(40));
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (ServiceServer s : servers) {
            s.stop(5);
            s.security().close();
        }
    }

    @Test
    void tokensDecideTheRoleAndRefusalsAreUnauthenticatedOrPermissionDenied() throws Exception {
        ServiceServer server = start("--auth-tokens", tokens.file().toString());
        String target = "127.0.0.1:" + server.port();

        ManagedChannel none = channel(target, null, null);
        assertCode(Status.Code.UNAUTHENTICATED, () -> predict(none));
        assertCode(Status.Code.UNAUTHENTICATED, () -> health(none, ""));
        assertCode(Status.Code.UNAUTHENTICATED, () -> predict(channel(target, null, wrongToken)));
        StatusRuntimeException garbled = assertThrows(StatusRuntimeException.class,
                () -> InferenceServiceGrpc.newBlockingStub(none).withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(header("Basic " + tokens.adminToken())))
                        .predict(PredictRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, garbled.getStatus().getCode());
        assertFalse(garbled.getStatus().getDescription().contains(tokens.adminToken()),
                "a credential is never echoed");

        ManagedChannel predict = channel(target, null, tokens.predict());
        // Reaching the (unimplemented) service is what passing authorization looks like here.
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(predict));
        assertEquals(ServingStatus.SERVING, health(predict, ""));
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> load(predict));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertTrue(denied.getStatus().getDescription().contains("'app'")
                && denied.getStatus().getDescription().contains("admin"), denied.getStatus().getDescription());
        assertCode(Status.Code.PERMISSION_DENIED, () -> ServiceServerTest.listServices(predict));
        assertCode(Status.Code.PERMISSION_DENIED, () -> TrainerServiceGrpc.newBlockingStub(predict)
                .listJobs(io.ensemblescope.api.v1.ListJobsRequest.getDefaultInstance()));

        ManagedChannel admin = channel(target, null, tokens.admin());
        assertCode(Status.Code.UNIMPLEMENTED, () -> load(admin));
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(admin));
        assertTrue(ServiceServerTest.listServices(admin).contains(InferenceServiceGrpc.SERVICE_NAME),
                "reflection for admins");
    }

    @Test
    void aRotatedTokenFileAppliesWithoutARestart() throws Exception {
        ServiceServer server = start("--auth-tokens", tokens.file().toString(),
                "--credentials-reload-seconds", "0");
        String target = "127.0.0.1:" + server.port();
        ManagedChannel predict = channel(target, null, tokens.predict());
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(predict));
        Files.writeString(tokens.file(), "admin operator " + tokens.adminToken() + "\n");
        reload(server);
        assertCode(Status.Code.UNAUTHENTICATED, () -> predict(predict));
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(channel(target, null, tokens.admin())));
    }

    @Test
    void tlsServesClientsThatTrustItsCaAndOnlyThem() throws Exception {
        ServiceServer server = start("--tls-cert", serverCert.cert().toString(), "--tls-key",
                serverCert.key().toString(), "--auth-tokens", tokens.file().toString());
        String target = "127.0.0.1:" + server.port();
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(channel(target, pki.caPem(), tokens.predict())));
        assertCode(Status.Code.UNAUTHENTICATED, () -> predict(channel(target, pki.caPem(), null)));

        TestPki other = TestPki.create(Files.createDirectories(dir.resolve("other")), "untrusted");
        assertCode(Status.Code.UNAVAILABLE, () -> predict(channel(target, other.caPem(), tokens.predict())));
        assertCode(Status.Code.UNAVAILABLE, () -> predict(channel(target, null, tokens.predict())));
        // The certificate names localhost and 127.0.0.1, not this name.
        ManagedChannel wrongName = track(ClientSecurity.of("--", true, pki.caPem(), null, null,
                tokens.predict(), "elsewhere.example", Duration.ZERO).channel(target));
        assertCode(Status.Code.UNAVAILABLE, () -> predict(wrongName));
    }

    @Test
    void aPlaintextClientOfATlsServerAndATlsClientOfAPlaintextServerAreToldWhichSideToFix() throws Exception {
        String tls = "127.0.0.1:" + start("--tls-cert", serverCert.cert().toString(), "--tls-key",
                serverCert.key().toString()).port();
        ManagedChannel plaintext = track(NettyChannelBuilder.forTarget(tls).usePlaintext()
                .intercept(new NamedTarget("trainer", tls)).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> predict(plaintext));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("trainer service at " + tls + " closed the connection")
                && e.getStatus().getDescription().contains("--tls-ca"), e.getStatus().getDescription());

        String plain = "127.0.0.1:" + start().port();
        ManagedChannel encrypted = track(ClientSecurity.of("--", true, pki.caPem(), null, null, null, null,
                Duration.ZERO).channelBuilder(plain).intercept(new NamedTarget("inference", plain)).build());
        StatusRuntimeException h = assertThrows(StatusRuntimeException.class, () -> predict(encrypted));
        assertEquals(Status.Code.UNAVAILABLE, h.getStatus().getCode());
        assertTrue(h.getStatus().getDescription().startsWith("inference service at " + plain + " is unreachable")
                && h.getStatus().getDescription().contains("without TLS"), h.getStatus().getDescription());
    }

    @Test
    void mutualTlsAdmitsOnlyValidClientCertificatesAndMapsThemToRoles() throws Exception {
        ServiceServer server = start("--tls-cert", serverCert.cert().toString(), "--tls-key",
                serverCert.key().toString(), "--tls-client-ca", pki.caPem().toString(),
                "--tls-client-role", "metrics=predict", "--tls-client-role", "spiffe://escope/operator=admin");
        String target = "127.0.0.1:" + server.port();

        ManagedChannel metrics = mtls(target, pki.client("metrics"));
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(metrics));
        assertCode(Status.Code.PERMISSION_DENIED, () -> load(metrics));
        ManagedChannel operator = mtls(target, pki.client("someone", "spiffe://escope/operator"));
        assertCode(Status.Code.UNIMPLEMENTED, () -> load(operator));
        StatusRuntimeException unmapped = assertThrows(StatusRuntimeException.class,
                () -> predict(mtls(target, pki.client("stranger"))));
        assertEquals(Status.Code.PERMISSION_DENIED, unmapped.getStatus().getCode());
        assertTrue(unmapped.getStatus().getDescription().contains("stranger"));

        assertCode(Status.Code.UNAVAILABLE, () -> predict(mtls(target, pki.expiredClient("metrics"))));
        TestPki other = TestPki.create(Files.createDirectories(dir.resolve("other")), "untrusted");
        assertCode(Status.Code.UNAVAILABLE, () -> predict(mtls(target, other.client("metrics"))));
        assertCode(Status.Code.UNAVAILABLE, () -> predict(channel(target, pki.caPem(), null)));
    }

    @Test
    void aRenewedServerCertificateIsServedWithoutARestart() throws Exception {
        Path cert = Files.copy(serverCert.cert(), dir.resolve("live.crt"));
        Path key = Files.copy(serverCert.key(), dir.resolve("live.key"));
        ServiceServer server = start("--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--credentials-reload-seconds", "0");
        String target = "127.0.0.1:" + server.port();
        TestPki next = TestPki.create(Files.createDirectories(dir.resolve("next")), "next-ca");
        TestPki.Issued renewed = next.server("renewed", "127.0.0.1");
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(channel(target, pki.caPem(), null)));
        assertCode(Status.Code.UNAVAILABLE, () -> predict(channel(target, next.caPem(), null)));

        // A certificate replaced before its key is refused: the pair must match.
        Files.copy(renewed.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        reload(server);
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(channel(target, pki.caPem(), null)));
        Files.copy(renewed.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        reload(server);
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(channel(target, next.caPem(), null)));
        assertCode(Status.Code.UNAVAILABLE, () -> predict(channel(target, pki.caPem(), null)));
    }

    @Test
    void theProbePortAnswersOnlyTheOverallStatusWithoutCredentials() throws Exception {
        ServiceServer server = start("--auth-tokens", tokens.file().toString(), "--tls-cert",
                serverCert.cert().toString(), "--tls-key", serverCert.key().toString());
        ManagedChannel probe = track(NettyChannelBuilder.forAddress("127.0.0.1", server.healthPort()).usePlaintext()
                .build());
        assertEquals(ServingStatus.SERVING, health(probe, ""));
        assertCode(Status.Code.PERMISSION_DENIED, () -> health(probe, InferenceServiceGrpc.SERVICE_NAME));
        assertCode(Status.Code.UNIMPLEMENTED, () -> predict(probe));
    }

    @Test
    void aNonLoopbackHostNeedsAuthenticationOrAnExplicitInsecure() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options("--host", "0.0.0.0").resolve());
        assertEquals("--host 0.0.0.0 is not a loopback address: serving it to the network needs --auth-tokens FILE"
                + " or --tls-client-ca FILE, or an explicit --insecure", e.getMessage());
        options("--host", "0.0.0.0", "--insecure").resolve().close();
        options("--host", "0.0.0.0", "--auth-tokens", tokens.file().toString()).resolve().close();
        options("--host", "localhost").resolve().close();
        assertThrows(IllegalArgumentException.class, () -> options("--tls-cert", serverCert.cert().toString())
                .resolve());
        assertThrows(IllegalArgumentException.class, () -> options("--tls-client-ca", pki.caPem().toString())
                .resolve());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> options(
                "--tls-cert", serverCert.cert().toString(), "--tls-key", pki.client("x").key().toString()).resolve());
        assertTrue(mismatch.getMessage().startsWith("--tls-cert/--tls-key ") && mismatch.getMessage()
                .contains("does not belong"), mismatch.getMessage());
        Path pkcs1 = Files.writeString(dir.resolve("rsa.key"), TestPki.pem("RSA PRIVATE KEY", new byte[] {1}));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> options(
                "--tls-cert", serverCert.cert().toString(), "--tls-key", pkcs1.toString()).resolve());
        assertTrue(format.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), format.getMessage());
    }

    private static SecurityOptions options(String... args) {
        SecurityOptions options = new SecurityOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    private ServiceServer start(String... securityArgs) throws Exception {
        ServerOptions options = new ServerOptions(0, -1);
        List<String> args = new ArrayList<>(List.of("--health-port", "0"));
        args.addAll(List.of(securityArgs));
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ServerOptions listen = options;
        }).parseArgs(args.toArray(String[]::new));
        ServiceServer server = options.configure(ServiceServer.builder("secure-test", Meters.newRegistry("test")))
                .addService(new InferenceServiceGrpc.InferenceServiceImplBase() {})
                .addService(new TrainerServiceGrpc.TrainerServiceImplBase() {}).build().start();
        servers.add(server);
        return server;
    }

    /** Rereads the server's files now, as its periodic reload would. */
    private static void reload(ServiceServer server) {
        server.security().reloadNow();
    }

    private ManagedChannel channel(String target, Path ca, Path tokenFile) {
        return track(ClientSecurity.of("--", false, ca, null, null, tokenFile, null, Duration.ZERO).channel(target));
    }

    private ManagedChannel mtls(String target, TestPki.Issued client) {
        return track(ClientSecurity.of("--", true, pki.caPem(), client.cert(), client.key(), null, null,
                Duration.ZERO).channel(target));
    }

    private ManagedChannel track(ManagedChannel c) {
        channels.add(c);
        return c;
    }

    private static io.grpc.Metadata header(String value) {
        io.grpc.Metadata m = new io.grpc.Metadata();
        m.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), value);
        return m;
    }

    private static void predict(ManagedChannel c) {
        InferenceServiceGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                .predict(PredictRequest.getDefaultInstance());
    }

    private static void load(ManagedChannel c) {
        InferenceServiceGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                .loadModel(LoadModelRequest.getDefaultInstance());
    }

    private static ServingStatus health(ManagedChannel c, String service) {
        return HealthGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static void assertCode(Status.Code expected, org.junit.jupiter.api.function.Executable call) {
        // Blocking stubs throw StatusRuntimeException, blocking streaming calls StatusException.
        Exception e = assertThrows(Exception.class, call);
        assertEquals(expected, Status.fromThrowable(e).getCode(), String.valueOf(e));
    }
}
