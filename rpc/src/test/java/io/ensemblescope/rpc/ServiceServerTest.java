package io.ensemblescope.rpc;

import io.ensemblescope.testing.Promtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A ServiceServer over real loopback netty: health, reflection, gRPC meters and a Prometheus endpoint. */
class ServiceServerTest {

    @Test
    void stopRemovesTheShutdownHookThatStartAdded() throws Exception {
        for (int i = 0; i < 3; i++) {
            ServiceServer server = ServiceServer.builder("hooks", Meters.newRegistry("hooks")).port(0).build().start();
            Thread hook = server.shutdownHook();
            assertNotNull(hook);
            server.stop(5);
            assertNull(server.shutdownHook());
            assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "start " + i + "'s hook is still registered");
        }
    }

    @Test
    void servesHealthReflectionAndPromtoolCleanMetrics() throws Exception {
        ServiceServer server = ServiceServer.builder("test", Meters.newRegistry("test")).port(0).metricsPort(0)
                .addService(new TrainerServiceGrpc.TrainerServiceImplBase() {}).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var health = HealthGrpc.newBlockingStub(channel);
            assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                    .setService(TrainerServiceGrpc.SERVICE_NAME).build()).getStatus());

            List<String> services = listServices(channel);
            assertTrue(services.contains(TrainerServiceGrpc.SERVICE_NAME), services.toString());

            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> TrainerServiceGrpc.newBlockingStub(channel).getCheckpoint(ModelRef.getDefaultInstance()));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.body().contains("grpc_server_requests_received"), "gRPC meters exported");
            assertTrue(scrape.body().contains("process_resident_memory_bytes"), "RSS exported");
            // gRPC latency is a histogram with the fixed buckets (percentiles aggregate across pods), labeled
            // status_code in snake case.
            assertTrue(scrape.body().contains("grpc_server_processing_duration_seconds_bucket{"), scrape.body());
            assertTrue(scrape.body().contains("le=\"0.25\""), "the fixed buckets");
            assertTrue(scrape.body().contains("status_code=\"UNIMPLEMENTED\""), "snake-case status label");
            Promtool.assertValid(scrape.body());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop(5);
        }
    }

    /** The services reflection lists; a refused call throws its {@code StatusException}. */
    static List<String> listServices(ManagedChannel channel) throws Exception {
        var call = ServerReflectionGrpc.newBlockingV2Stub(channel).serverReflectionInfo();
        call.write(ServerReflectionRequest.newBuilder().setListServices("").build());
        call.halfClose();
        return call.read(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
    }
}
