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

    /**
     * A method named for the transport thread runs on the Netty event loop that read it, with no hand-off to any
     * pool (grpc looks methods up on the server executor first, so a pooled default would still hop there); every
     * other method runs on the server's call pool, where it may block.
     */
    @Test
    void transportThreadMethodsRunOnTheEventLoopAndOthersOnTheCallPool() throws Exception {
        java.util.Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();
        ServiceServer server = ServiceServer.builder("threads", Meters.newRegistry("threads")).port(0)
                .addService(new TrainerServiceGrpc.TrainerServiceImplBase() {
                    @Override
                    public void getJob(io.ensemblescope.api.v1.GetJobRequest request,
                                       io.grpc.stub.StreamObserver<io.ensemblescope.api.v1.Job> responses) {
                        threads.put("getJob", Thread.currentThread().getName());
                        responses.onNext(io.ensemblescope.api.v1.Job.getDefaultInstance());
                        responses.onCompleted();
                    }

                    @Override
                    public void listJobs(io.ensemblescope.api.v1.ListJobsRequest request,
                                         io.grpc.stub.StreamObserver<io.ensemblescope.api.v1.ListJobsResponse> out) {
                        threads.put("listJobs", Thread.currentThread().getName());
                        out.onNext(io.ensemblescope.api.v1.ListJobsResponse.getDefaultInstance());
                        out.onCompleted();
                    }
                })
                .onTransportThread(TrainerServiceGrpc.getGetJobMethod().getFullMethodName()).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var stub = TrainerServiceGrpc.newBlockingStub(channel);
            for (int i = 0; i < 3; i++) {
                stub.getJob(io.ensemblescope.api.v1.GetJobRequest.getDefaultInstance());
                stub.listJobs(io.ensemblescope.api.v1.ListJobsRequest.getDefaultInstance());
                assertTrue(threads.get("getJob").contains("-ELG-"), "event loop, got " + threads);
                assertTrue(threads.get("listJobs").startsWith("threads-call-"), "call pool, got " + threads);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop(5);
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
