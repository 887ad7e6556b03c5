package io.ensemblescope.inference.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.BatchingOptions;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.GetModelRequest;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.ListModelsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ModelState;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client can reach through the inference service, on a store of its own: a copy of the tiny "single" and
 * "mc" checkpoints, a symlink to a checkpoint outside the store ("leak"), a dangling one ("ghost") and a version
 * whose manifest is not JSON ("broken").
 */
class TrustBoundariesTest {
    @TempDir
    static Path tmp;
    private static InferenceServer.Running server;
    private static ManagedChannel channel;
    private static InferenceServiceGrpc.InferenceServiceBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        Path tiny = TinyCheckpoints.store().root();
        Path root = Files.createDirectories(tmp.resolve("store"));
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        copy(tiny.resolve(TinyCheckpoints.SINGLE), root.resolve(TinyCheckpoints.SINGLE));
        copy(tiny.resolve(TinyCheckpoints.MC), root.resolve(TinyCheckpoints.MC));
        copy(tiny.resolve(TinyCheckpoints.SINGLE), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("leak"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("ghost"), outside.resolve("no-such-dir"));
        Files.createDirectories(root.resolve("broken/v1"));
        Files.writeString(root.resolve("broken/v1/manifest.json"), "{ \"name\": ");
        server = InferenceServer.start(0, -1, 64 << 20, new CheckpointStore(root),
                ServingOptions.defaults(Device.cpu()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.server().port()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        stub = InferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    private static Status refused(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    private static void expect(Status.Code code, String text, Executable call) {
        Status s = refused(call);
        assertEquals(code, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains(text), "'" + s.getDescription() + "' mentions " + text);
        assertTrue(s.getDescription().length() < 400, "bounded description: " + s.getDescription().length());
    }

    private static ModelRef ref(String name, String version) {
        return ModelRef.newBuilder().setName(name).setVersion(version).build();
    }

    /** Each RPC that takes a model reference, called with {@code ref}. */
    private static List<Executable> everyRpc(ModelRef ref) {
        PredictRequest predict = ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1).toBuilder().setModel(ref).build();
        return List.of(() -> stub.predict(predict),
                () -> stub.getModel(GetModelRequest.newBuilder().setModel(ref).build()),
                () -> stub.loadModel(LoadModelRequest.newBuilder().setModel(ref).build()),
                () -> stub.unloadModel(UnloadModelRequest.newBuilder().setModel(ref).build()));
    }

    @Test
    void versionsThatAreNotVDigitsAreRefusedByEveryRpc() {
        for (String version : List.of("/etc", "../mc/v1", "v1/../../elsewhere", "..", "x".repeat(3 << 20))) {
            for (Executable call : everyRpc(ref(TinyCheckpoints.SINGLE, version))) {
                expect(Status.Code.INVALID_ARGUMENT, "model.version", call);
            }
        }
        for (Executable call : everyRpc(ref("n".repeat(8192), ""))) {
            expect(Status.Code.INVALID_ARGUMENT, "(8192 characters)", call);
        }
    }

    @Test
    void checkpointsOutsideTheStoreLookExactlyLikeMissingOnes() {
        for (String version : List.of("v1", "")) {
            Status leak = refused(() -> stub.loadModel(LoadModelRequest.newBuilder().setModel(ref("leak", version))
                    .build()));
            Status ghost = refused(() -> stub.loadModel(LoadModelRequest.newBuilder().setModel(ref("ghost", version))
                    .build()));
            Status none = refused(() -> stub.loadModel(LoadModelRequest.newBuilder().setModel(ref("none", version))
                    .build()));
            assertEquals(Status.Code.NOT_FOUND, leak.getCode(), leak.toString());
            assertEquals(ghost.getCode(), leak.getCode());
            assertEquals(none.getCode(), leak.getCode());
            assertEquals(ghost.getDescription().replace("ghost", "X"), leak.getDescription().replace("leak", "X"));
            assertEquals(none.getDescription().replace("none", "X"), leak.getDescription().replace("leak", "X"));
        }
        expect(Status.Code.NOT_FOUND, "leak", () -> stub.predict(ServerHarness.pixels("leak", 0, 1)));
        assertFalse(stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .anyMatch(m -> m.getRef().getName().equals("leak")));
    }

    @Test
    void aCorruptManifestIsListedUnavailableAndSpoilsNothingElse() {
        List<ModelInfo> models = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
        ModelInfo broken = models.stream().filter(m -> m.getRef().getName().equals("broken")).findFirst()
                .orElseThrow();
        assertEquals(ModelState.UNAVAILABLE, broken.getState());
        assertEquals("v1", broken.getRef().getVersion());
        assertTrue(broken.getReason().contains("corrupt"), broken.getReason());
        assertTrue(models.stream().anyMatch(m -> m.getRef().getName().equals(TinyCheckpoints.SINGLE)
                && m.getState() != ModelState.UNAVAILABLE && m.getReason().isEmpty()));
        expect(Status.Code.FAILED_PRECONDITION, "broken/v1 is corrupt", () -> stub.loadModel(
                LoadModelRequest.newBuilder().setModel(ref("broken", "")).build()));
        assertEquals(1, stub.predict(ServerHarness.pixels(TinyCheckpoints.SINGLE, 0, 1)).getMemberProbabilities()
                .getMembers());
    }

    @Test
    void batchingOptionsStayWithinTheServersMaxima() {
        Consumer<BatchingOptions.Builder> none = b -> { };
        record Case(String field, BatchingOptions options) {}
        for (Case c : List.of(
                new Case("batching.max_batch_size", BatchingOptions.newBuilder().setMaxBatchSize(Integer.MAX_VALUE)
                        .build()),
                new Case("batching.max_queue_delay_micros", BatchingOptions.newBuilder().setMaxBatchSize(8)
                        .setMaxQueueDelayMicros(3_600_000_000L).build()),
                new Case("batching.max_queue_size", BatchingOptions.newBuilder().setMaxBatchSize(8)
                        .setMaxQueueSize(1_000_000).build()))) {
            expect(Status.Code.INVALID_ARGUMENT, c.field(), () -> stub.loadModel(LoadModelRequest.newBuilder()
                    .setModel(ref(TinyCheckpoints.MC, "")).setBatching(c.options()).build()));
        }
        int serverMax = ServingOptions.defaults(Device.cpu()).maxRequestBatch();
        ModelInfo ok = stub.loadModel(LoadModelRequest.newBuilder().setModel(ref(TinyCheckpoints.MC, ""))
                .setBatching(BatchingOptions.newBuilder().setMaxBatchSize(serverMax).setMaxQueueDelayMicros(1_000))
                .build());
        assertEquals(serverMax, ok.getMaxRequestBatch(), "batching never lifts the request limit");
        expect(Status.Code.RESOURCE_EXHAUSTED, "batch", () -> stub.predict(pixels(TinyCheckpoints.MC,
                serverMax + 1, 0)));
        none.accept(BatchingOptions.newBuilder());
    }

    @Test
    void oneRequestCannotAskForUnboundedWork() {
        long start = System.nanoTime();
        expect(Status.Code.RESOURCE_EXHAUSTED, "per-request limit", () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .predict(pixels(TinyCheckpoints.MC, 4096, 256)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused before any forward");
        assertEquals(16, stub.predict(pixels(TinyCheckpoints.MC, 64, 16)).getMemberProbabilities().getMembers());
    }

    @Test
    void nonFiniteOutputsAreNeverReturnedWithOk() {
        float[] huge = new float[2 * 784];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = i % 2 == 0 ? Float.MAX_VALUE : -Float.MAX_VALUE;
        }
        for (String model : List.of(TinyCheckpoints.SINGLE, TinyCheckpoints.MC)) {
            PredictRequest r = PredictRequest.newBuilder().setModel(ref(model, "")).setReturnLogits(true)
                    .setInput(Tensor.newBuilder().addShape(2).addShape(1).addShape(28).addShape(28)
                            .setDtype(DType.FLOAT32).setRawData(ProtoCodec.littleEndian(huge))).build();
            expect(Status.Code.FAILED_PRECONDITION, "model " + model + "/v1", () -> stub.predict(r));
        }
    }

    /** B black images for {@code model} with {@code t} MC-Dropout passes (0: default). */
    private static PredictRequest pixels(String model, int b, int t) {
        byte[] px = new byte[b * 784];
        Arrays.fill(px, (byte) 0);
        return PredictRequest.newBuilder().setModel(ref(model, "")).setMcSamples(t)
                .setInput(Tensor.newBuilder().addShape(b).addShape(1).addShape(28).addShape(28).setDtype(DType.UINT8)
                        .setRawData(ByteString.copyFrom(px))).build();
    }
}
