package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.testing.GrpcLogRecorder;
import io.ensemblescope.testing.RawCalls;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request that is not a valid message, sent as raw bytes to a ServiceServer over loopback: the service answers
 * INVALID_ARGUMENT naming the method, grpc-java logs no stack trace, and valid calls and reflection still work.
 */
class RequestParsingTest {
    /** Field 1 (job_id, length-delimited) claims 2⁶³ bytes: no parser accepts it. */
    private static final byte[] GARBAGE = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};

    private ServiceServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = ServiceServer.builder("test", Meters.newRegistry("test")).port(0).metricsPort(-1)
                .addService(new TrainerServiceGrpc.TrainerServiceImplBase() {
                    @Override
                    public void getJob(GetJobRequest request, StreamObserver<Job> responses) {
                        responses.onNext(Job.newBuilder().setJobId(request.getJobId()).build());
                        responses.onCompleted();
                    }
                }).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(5);
    }

    @Test
    void undecodableRequestsAreInvalidArgumentsWithoutAStackTrace() {
        try (GrpcLogRecorder grpcLog = new GrpcLogRecorder()) {
            for (String method : new String[] {TrainerServiceGrpc.getGetJobMethod().getFullMethodName(),
                TrainerServiceGrpc.getStartTrainingMethod().getFullMethodName()}) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> RawCalls.unary(channel,
                        method, GARBAGE, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)));
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
                assertTrue(e.getStatus().getDescription().contains(method), e.getStatus().getDescription());
            }
            assertEquals("j-1", TrainerServiceGrpc.newBlockingStub(channel)
                    .getJob(GetJobRequest.newBuilder().setJobId("j-1").build()).getJobId(), "valid calls still parse");
            assertEquals(0, grpcLog.withThrowable().size(), "grpc-java logged: " + grpcLog.records());
        }
    }

    @Test
    void oversizedMessagesAreRefusedWithoutAStackTrace() throws Exception {
        ServiceServer small = ServiceServer.builder("small", Meters.newRegistry("small")).port(0).metricsPort(-1)
                .maxInboundMessageBytes(1024).addService(new TrainerServiceGrpc.TrainerServiceImplBase() {})
                .build().start();
        ManagedChannel toSmall = NettyChannelBuilder.forAddress("127.0.0.1", small.port()).usePlaintext().build();
        try (GrpcLogRecorder grpcLog = new GrpcLogRecorder()) {
            for (int i = 0; i < 3; i++) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> TrainerServiceGrpc
                        .newBlockingStub(toSmall).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getJob(GetJobRequest.newBuilder().setJobId("j".repeat(4096)).build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
            }
            assertEquals(0, grpcLog.withThrowable().size(), "grpc-java logged: " + grpcLog.records());
        } finally {
            toSmall.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            small.stop(5);
        }
    }

    @Test
    void reflectionStillDescribesTheGuardedService() {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(TrainerServiceGrpc.SERVICE_NAME)
                .build());
        requests.onCompleted();
        ServerReflectionResponse r = answer.join();
        assertTrue(r.hasFileDescriptorResponse(), r.toString());
        assertTrue(r.getFileDescriptorResponse().getFileDescriptorProtoCount() > 0);
    }
}
