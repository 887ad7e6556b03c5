package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Proves the generated stubs are wired: empty implementations answer UNIMPLEMENTED over real in-process gRPC. */
class GeneratedStubsTest {

    private static void withChannel(BindableService service, Consumer<ManagedChannel> body) throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            body.accept(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void trainerStubAnswersUnimplemented() throws Exception {
        withChannel(new TrainerServiceGrpc.TrainerServiceImplBase() {}, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    TrainerServiceGrpc.newBlockingStub(channel).getCheckpoint(ModelRef.newBuilder().setName("m").build()));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        });
    }

    @Test
    void inferenceStubAnswersUnimplemented() throws Exception {
        withChannel(new InferenceServiceGrpc.InferenceServiceImplBase() {}, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    InferenceServiceGrpc.newBlockingStub(channel).predict(PredictRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        });
    }

    @Test
    void metricsStreamingStubAnswersUnimplemented() throws Exception {
        withChannel(new MetricsServiceGrpc.MetricsServiceImplBase() {}, channel -> {
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            StreamObserver<EvaluationChunk> requests = MetricsServiceGrpc.newStub(channel).evaluate(
                    new StreamObserver<EvaluationReport>() {
                        @Override public void onNext(EvaluationReport value) { error.complete(null); }
                        @Override public void onError(Throwable t) { error.complete(t); }
                        @Override public void onCompleted() { error.complete(null); }
                    });
            requests.onNext(EvaluationChunk.getDefaultInstance());
            requests.onCompleted();
            Throwable t = error.join();
            assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(t).getCode());
        });
    }
}
