package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.BatchingOptions;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ModelState;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.BatchingConfig;
import io.ensemblescope.inference.serving.BatchingLimits;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.internal.testing.StreamRecorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad request gets its status code and a message naming the field. */
class ErrorPathsTest {
    private static final Map<String, AtomicInteger> FORWARDS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> ROWS = new ConcurrentHashMap<>();
    private static final ForwardListener COUNTING = new ForwardListener() {
        @Override
        public void beforeForward(String model, Method method, int replica, long rows) {
            FORWARDS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
            ROWS.computeIfAbsent(model, m -> new AtomicLong()).addAndGet(rows);
        }
    };
    private static ServerHarness server;

    @BeforeAll
    static void start() throws Exception {
        ServingOptions d = ServingOptions.defaults(Device.cpu());
        // A queue delay of 1.5 s, above the default 100 ms limit, lets the queue tests hold a batch open.
        server = new ServerHarness(new ServingOptions(d.devices(), 1, 2, 64, BatchingConfig.DISABLED, 64, 16,
                d.maxForwardRows(), true, new BatchingLimits(64, 2_000_000, 1024), d.maxRequestCost()), COUNTING);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void expect(Status.Code code, String field, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains(field),
                "'" + e.getStatus().getDescription() + "' names " + field);
    }

    private static PredictRequest withInput(PredictRequest r, Tensor.Builder t) {
        return r.toBuilder().setInput(t).build();
    }

    @Test
    void malformedInputsAreInvalidArgumentsNamingTheField() {
        PredictRequest ok = ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 2);
        Tensor in = ok.getInput();
        expect(Status.Code.INVALID_ARGUMENT, "input.shape", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().clearShape().addShape(2).addShape(784))));
        expect(Status.Code.INVALID_ARGUMENT, "input.shape", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().clearShape().addShape(2).addShape(1).addShape(28).addShape(27))));
        expect(Status.Code.INVALID_ARGUMENT, "input.raw_data", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().setRawData(in.getRawData().substring(1)))));
        expect(Status.Code.INVALID_ARGUMENT, "input.shape", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().clearShape().addShape(0).addShape(1).addShape(28).addShape(28)
                        .setRawData(ByteString.EMPTY))));
        expect(Status.Code.INVALID_ARGUMENT, "input.dtype", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().setDtype(DType.DTYPE_UNSPECIFIED))));
        float[] x = new float[2 * 784];
        x[100] = Float.NaN;
        expect(Status.Code.INVALID_ARGUMENT, "input.raw_data", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().setDtype(DType.FLOAT32).setRawData(ProtoCodec.littleEndian(x)))));
        x[100] = Float.POSITIVE_INFINITY;
        expect(Status.Code.INVALID_ARGUMENT, "input.raw_data", () -> server.blocking.predict(withInput(ok,
                in.toBuilder().setDtype(DType.FLOAT32).setRawData(ProtoCodec.littleEndian(x)))));
        expect(Status.Code.INVALID_ARGUMENT, "mc_samples", () -> server.blocking.predict(
                ok.toBuilder().setMcSamples(3).build()));
        PredictRequest mc = ServerHarness.pixels(TinyCheckpoints.MC, 0, 2);
        expect(Status.Code.INVALID_ARGUMENT, "mc_samples", () -> server.blocking.predict(
                mc.toBuilder().setMcSamples(17).build()));
        expect(Status.Code.INVALID_ARGUMENT, "mc_samples", () -> server.blocking.predict(
                mc.toBuilder().setMcSamples(-1).build()));
        expect(Status.Code.INVALID_ARGUMENT, "model.name", () -> server.blocking.predict(
                ok.toBuilder().setModel(ModelRef.newBuilder().setName("../etc")).build()));
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() {
        PredictRequest ok = ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1);
        expect(Status.Code.NOT_FOUND, "nope", () -> server.blocking.predict(ok.toBuilder()
                .setModel(ModelRef.newBuilder().setName("nope")).build()));
        expect(Status.Code.NOT_FOUND, "v9", () -> server.blocking.predict(ok.toBuilder()
                .setModel(ModelRef.newBuilder().setName(TinyCheckpoints.SINGLE).setVersion("v9")).build()));
        expect(Status.Code.NOT_FOUND, "nope", () -> server.blocking.getModel(GetModelRequest.newBuilder()
                .setModel(ModelRef.newBuilder().setName("nope")).build()));
        expect(Status.Code.NOT_FOUND, "v9", () -> server.blocking.loadModel(LoadModelRequest.newBuilder()
                .setModel(ModelRef.newBuilder().setName(TinyCheckpoints.SINGLE).setVersion("v9")).build()));
    }

    @Test
    void oversizedBatchesAndMessagesAreResourceExhausted() {
        expect(Status.Code.RESOURCE_EXHAUSTED, "batch", () -> server.blocking.predict(
                ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 65)));
        int b = ServerHarness.MAX_INBOUND / 784 + 1;
        PredictRequest huge = PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName("single"))
                .setInput(Tensor.newBuilder().addShape(b).addShape(1).addShape(28).addShape(28)
                        .setDtype(DType.UINT8).setRawData(ByteString.copyFrom(new byte[b * 784]))).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.blocking.predict(huge));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
    }

    /**
     * Over gRPC's in-process transport with direct executors (the same engine behind it), a call returns to the
     * client only after the handler has queued it, so the first call is certainly waiting when the second arrives.
     */
    @Test
    void fullBatchingQueueIsResourceExhausted() throws Exception {
        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder().setName("mc"))
                .setBatching(BatchingOptions.newBuilder().setMaxBatchSize(8).setMaxQueueDelayMicros(1_500_000)
                        .setMaxQueueSize(1)).build());
        String name = InProcessServerBuilder.generateName();
        Server direct = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new InferenceGrpcService(server.engine, null)).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            StreamRecorder<PredictResponse> first = StreamRecorder.create();
            InferenceServiceGrpc.newStub(channel).predict(ServerHarness.pixels(TinyCheckpoints.MC, 0, 1), first);
            expect(Status.Code.RESOURCE_EXHAUSTED, "queue", () -> InferenceServiceGrpc.newBlockingStub(channel)
                    .predict(ServerHarness.pixels(TinyCheckpoints.MC, 1, 1)));
            assertTrue(first.awaitCompletion(10, TimeUnit.SECONDS), "the queued call was answered");
            assertNull(first.getError());
            assertEquals(TinyCheckpoints.MC_DEFAULT_T, first.getValues().get(0).getMemberProbabilities()
                    .getMembers());
        } finally {
            channel.shutdownNow();
            direct.shutdownNow();
        }
    }

    @Test
    void deadlinesAreRespectedAndAbandonedWorkNeverRuns() throws Exception {
        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder().setName("de"))
                .setBatching(BatchingOptions.newBuilder().setMaxBatchSize(64).setMaxQueueDelayMicros(400_000))
                .build());
        AtomicInteger forwards = FORWARDS.computeIfAbsent(TinyCheckpoints.DE, m -> new AtomicInteger());
        AtomicLong rows = ROWS.computeIfAbsent(TinyCheckpoints.DE, m -> new AtomicLong());
        int before = forwards.get();
        long rowsBefore = rows.get();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.blocking
                .withDeadlineAfter(50, TimeUnit.MILLISECONDS).predict(ServerHarness.pixels(TinyCheckpoints.DE, 0, 1)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        // The live call queues behind the expired one (same window, or the next): however the batches fall, only
        // its own row may reach a forward, once per replica.
        PredictResponse r = server.blocking.predict(ServerHarness.pixels(TinyCheckpoints.DE, 1, 1));
        assertEquals(2, r.getMemberProbabilities().getMembers());
        assertEquals(before + 2, forwards.get(), "one forward per replica, for the live call only");
        assertEquals(rowsBefore + 2, rows.get(), "the expired call's row never reached a forward");
    }

    @Test
    void aModelStillLoadingIsUnavailable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch loading = new CountDownLatch(1);
        CheckpointStore store = TinyCheckpoints.store();
        try (ServerHarness slow = new ServerHarness(ServingOptions.defaults(Device.cpu()), ForwardListener.NONE,
                (m, device) -> {
                    loading.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return store.load(m, device);
                })) {
            var load = CompletableFuture.supplyAsync(() -> slow.blocking.loadModel(LoadModelRequest.newBuilder()
                    .setModel(ModelRef.newBuilder().setName(TinyCheckpoints.BE)).build()));
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            assertEquals(ModelState.LOADING, slow.blocking.getModel(GetModelRequest.newBuilder()
                    .setModel(ModelRef.newBuilder().setName(TinyCheckpoints.BE)).build()).getState());
            expect(Status.Code.UNAVAILABLE, "loading", () -> slow.blocking.predict(
                    ServerHarness.pixels(TinyCheckpoints.BE, 0, 1)));
            release.countDown();
            assertEquals(ModelState.READY, load.get(20, TimeUnit.SECONDS).getState());
            assertEquals(4, slow.blocking.predict(ServerHarness.pixels(TinyCheckpoints.BE, 0, 1))
                    .getMemberProbabilities().getMembers());
        }
    }

    @Test
    void streamWithoutRequestIdFailsNamingIt() throws Exception {
        StreamRecorder<PredictResponse> responses = StreamRecorder.create();
        var requests = server.async.predictStream(responses);
        requests.onNext(ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1).toBuilder().clearRequestId().build());
        assertTrue(responses.awaitCompletion(10, TimeUnit.SECONDS), "stream ended");
        Status s = Status.fromThrowable(responses.getError());
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("request_id"));
        assertEquals(List.of(), responses.getValues());
    }
}
