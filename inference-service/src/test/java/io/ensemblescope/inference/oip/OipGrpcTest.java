package io.ensemblescope.inference.oip;

import static io.ensemblescope.inference.oip.OipRequests.floats;
import static io.ensemblescope.inference.oip.OipRequests.int64;
import static io.ensemblescope.inference.oip.OipRequests.nativePixels;
import static io.ensemblescope.inference.oip.OipRequests.pixels;
import static io.ensemblescope.inference.oip.OipRequests.raw;
import static io.ensemblescope.inference.oip.OipRequests.shape;
import static io.ensemblescope.inference.oip.OipRequests.string;
import static io.ensemblescope.inference.oip.OipRequests.withOutputs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.oip.ModelInferResponse;
import io.ensemblescope.api.oip.ModelMetadataRequest;
import io.ensemblescope.api.oip.ModelMetadataResponse;
import io.ensemblescope.api.oip.ModelReadyRequest;
import io.ensemblescope.api.oip.ServerLiveRequest;
import io.ensemblescope.api.oip.ServerMetadataRequest;
import io.ensemblescope.api.oip.ServerMetadataResponse;
import io.ensemblescope.api.oip.ServerReadyRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.metrics.math.SampleStatistics;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every RPC of the Open Inference Protocol's gRPC service, called by the client generated from its proto, against a
 * real server over loopback on real checkpoints; outputs compared with the native API's byte for byte.
 */
class OipGrpcTest {
    @AutoClose
    private static final ServerHarness server = ServerHarness.cpuDefaults();

    @Test
    void serverIsLiveReadyAndDescribesItself() {
        assertTrue(server.oip.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(server.oip.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        ServerMetadataResponse m = server.oip.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertEquals("ensemblescope", m.getName());
        assertFalse(m.getVersion().isEmpty());
        assertEquals(List.of("binary_tensor_data"), m.getExtensionsList());
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyCheckpoints.SINGLE, TinyCheckpoints.DE, TinyCheckpoints.BE})
    void outputsEqualTheNativeApisBitForBit(String model) {
        PredictResponse nat = server.blocking.predict(nativePixels(model, 16, 8).toBuilder().setReturnLogits(true)
                .build());
        ModelInferResponse oip = server.oip.modelInfer(pixels(model, 16, 8).build());
        assertNativeEqualsOip(nat, oip);
        assertEquals(model, oip.getModelName());
        assertEquals(nat.getServed().getVersion(), oip.getModelVersion());
        assertEquals("oip-16-8", oip.getId());
        assertEquals(nat.getMemberProbabilities().getMembers(), oip.getParametersOrThrow("members").getInt64Param());
        assertTrue(oip.getParametersOrThrow("total_micros").getInt64Param()
                >= oip.getParametersOrThrow("compute_micros").getInt64Param());
    }

    @Test
    void mcDropoutWithTheSameMaskStreamEqualsTheNativeApiBitForBit() {
        // A freshly loaded MC Dropout model draws its masks from the checkpoint's seed, so two fresh loads
        // answering the same request draw the same masks.
        LoadModelRequest load = LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                .setName(TinyCheckpoints.MC)).build();
        server.blocking.loadModel(load);
        PredictResponse nat = server.blocking.predict(nativePixels(TinyCheckpoints.MC, 0, 5).toBuilder()
                .setMcSamples(6).setReturnLogits(true).build());
        server.blocking.loadModel(load);
        ModelInferRequest request = pixels(TinyCheckpoints.MC, 0, 5).putParameters("mc_samples", int64(6)).build();
        ModelInferResponse oip = server.oip.modelInfer(request);
        assertEquals(6, nat.getMemberProbabilities().getMembers());
        assertNativeEqualsOip(nat, oip);
        ModelInferResponse next = server.oip.modelInfer(request);
        assertNotEquals(raw(oip, "member_probabilities"), raw(next, "member_probabilities"),
                "the next call draws new masks");
    }

    /** Probabilities, member probabilities and logits identical; uncertainty as metrics-math computes it. */
    private static void assertNativeEqualsOip(PredictResponse nat, ModelInferResponse oip) {
        int k = nat.getMemberProbabilities().getMembers();
        int b = nat.getMemberProbabilities().getBatch();
        int c = nat.getMemberProbabilities().getClasses();
        assertEquals(6, oip.getOutputsCount(), "every output when none is requested");
        assertEquals(nat.getMemberProbabilities().getData(), raw(oip, "member_probabilities"));
        assertEquals(nat.getMeanProbabilities().getRawData(), raw(oip, "probabilities"));
        assertEquals(nat.getLogits().getData(), raw(oip, "logits"));
        assertArrayEquals(new long[] {k, b, c}, shape(oip, "member_probabilities"));
        assertArrayEquals(new long[] {k, b, c}, shape(oip, "logits"));
        assertArrayEquals(new long[] {b, c}, shape(oip, "probabilities"));
        SampleStatistics u = SampleStatistics.of(ProtoCodec.floats(nat.getMemberProbabilities().getData()), k, b, c);
        float[] h = floats(oip, "predictive_entropy");
        float[] mi = floats(oip, "mutual_information");
        float[] d = floats(oip, "disagreement");
        for (int j = 0; j < b; j++) {
            assertEquals((float) u.predictiveEntropy(j), h[j]);
            assertEquals((float) u.mutualInformation(j), mi[j]);
            assertEquals((float) u.disagreement(j), d[j]);
            assertTrue(h[j] >= 0 && h[j] <= Math.log(c) + 1e-5, "entropy within [0, ln C]");
            assertTrue(mi[j] >= 0 && mi[j] <= h[j] + 1e-6, "0 <= MI <= H");
            assertTrue(d[j] >= 0 && d[j] <= 1);
            if (k == 1) {
                assertEquals(0f, mi[j]);
                assertEquals(0f, d[j]);
            }
        }
        for (String name : List.of("predictive_entropy", "mutual_information", "disagreement")) {
            assertArrayEquals(new long[] {b}, shape(oip, name));
        }
    }

    @Test
    void typedContentsEqualRawContents() {
        ModelInferRequest raw = pixels(TinyCheckpoints.BE, 3, 2).build();
        byte[] px = raw.getRawInputContents(0).toByteArray();
        ModelInferRequest.Builder typed = raw.toBuilder().clearRawInputContents();
        var contents = typed.getInputsBuilder(0).getContentsBuilder();
        for (byte p : px) {
            contents.addUintContents(p & 0xFF);
        }
        assertEquals(server.oip.modelInfer(raw).getRawOutputContentsList(),
                server.oip.modelInfer(typed.build()).getRawOutputContentsList());

        float[] normalized = new float[px.length];
        TinyCheckpoints.testImages().normalizedInto(3, 2, normalized);
        ModelInferRequest.Builder fp32 = raw.toBuilder().clearRawInputContents();
        fp32.getInputsBuilder(0).setDatatype("FP32");
        for (float f : normalized) {
            fp32.getInputsBuilder(0).getContentsBuilder().addFp32Contents(f);
        }
        ModelInferRequest.Builder fp32Raw = raw.toBuilder().setRawInputContents(0, ProtoCodec.littleEndian(normalized));
        fp32Raw.getInputsBuilder(0).setDatatype("FP32");
        assertEquals(server.oip.modelInfer(fp32Raw.build()).getRawOutputContentsList(),
                server.oip.modelInfer(fp32.build()).getRawOutputContentsList());
    }

    @Test
    void outputsComeAsRequestedAndMembersSubsetTheEnsemble() {
        ModelInferResponse all = server.oip.modelInfer(pixels(TinyCheckpoints.BE, 0, 4).build());
        ModelInferResponse some = server.oip.modelInfer(withOutputs(pixels(TinyCheckpoints.BE, 0, 4)
                .putParameters("members", string("1,3")), "disagreement", "member_probabilities", "probabilities")
                .build());
        assertEquals(List.of("disagreement", "member_probabilities", "probabilities"),
                some.getOutputsList().stream().map(ModelInferResponse.InferOutputTensor::getName).toList());
        assertEquals(2, some.getParametersOrThrow("members").getInt64Param());
        float[] full = floats(all, "member_probabilities");
        float[] kept = floats(some, "member_probabilities");
        int block = 4 * 10;
        assertArrayEquals(new long[] {2, 4, 10}, shape(some, "member_probabilities"));
        for (int x = 0; x < block; x++) {
            assertEquals(full[block + x], kept[x]);
            assertEquals(full[3 * block + x], kept[block + x]);
            assertEquals((full[block + x] + full[3 * block + x]) / 2, floats(some, "probabilities")[x], 1e-7);
        }
    }

    @Test
    void modelMetadataNamesTheMethodAndEveryOutput() {
        ModelMetadataResponse be = server.oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(TinyCheckpoints.BE).build());
        assertEquals("ensemblescope_batch_ensemble", be.getPlatform());
        assertEquals(List.of("v1", "v2"), be.getVersionsList());
        assertEquals("input", be.getInputs(0).getName());
        assertEquals("UINT8", be.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 1L, 28L, 28L), be.getInputs(0).getShapeList());
        assertEquals(List.of("probabilities", "member_probabilities", "logits", "predictive_entropy",
                "mutual_information", "disagreement"), be.getOutputsList().stream()
                .map(ModelMetadataResponse.TensorMetadata::getName).toList());
        assertEquals(List.of(-1L, -1L, 10L), be.getOutputs(1).getShapeList());
        assertEquals("FP32", be.getOutputs(1).getDatatype());
        assertEquals("4", be.getPropertiesOrThrow("k"));
        assertEquals("BATCH_ENSEMBLE", be.getPropertiesOrThrow("method"));
        assertEquals("v2", be.getPropertiesOrThrow("version"));
        assertEquals("v1", server.oip.modelMetadata(ModelMetadataRequest.newBuilder().setName(TinyCheckpoints.BE)
                .setVersion("v1").build()).getPropertiesOrThrow("version"));

        ModelMetadataResponse mc = server.oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(TinyCheckpoints.MC).build());
        assertEquals("ensemblescope_mc_dropout", mc.getPlatform());
        assertEquals(Integer.toString(TinyCheckpoints.MC_DEFAULT_T), mc.getPropertiesOrThrow("mc_samples"));
        ModelMetadataResponse single = server.oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(TinyCheckpoints.SINGLE).build());
        assertEquals("ensemblescope_single", single.getPlatform());
        assertEquals(List.of(1L, -1L, 10L), single.getOutputs(1).getShapeList());
        assertEquals("ensemblescope_deep_ensemble", server.oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(TinyCheckpoints.DE).build()).getPlatform());
    }

    @Test
    void modelReadyFollowsLoadingAndVersions() {
        ModelRef de = ModelRef.newBuilder().setName(TinyCheckpoints.DE).build();
        try {
            server.blocking.unloadModel(UnloadModelRequest.newBuilder().setModel(de).build());
        } catch (StatusRuntimeException notLoaded) {
            // not loaded yet: what this test needs
        }
        ModelReadyRequest ready = ModelReadyRequest.newBuilder().setName(TinyCheckpoints.DE).build();
        assertFalse(server.oip.modelReady(ready).getReady());
        server.oip.modelInfer(pixels(TinyCheckpoints.DE, 0, 1).build());
        assertTrue(server.oip.modelReady(ready).getReady());

        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                .setName(TinyCheckpoints.BE).setVersion("v1")).build());
        assertTrue(server.oip.modelReady(ModelReadyRequest.newBuilder().setName(TinyCheckpoints.BE)
                .setVersion("v1").build()).getReady());
        assertFalse(server.oip.modelReady(ModelReadyRequest.newBuilder().setName(TinyCheckpoints.BE)
                .setVersion("v2").build()).getReady());
        server.blocking.loadModel(LoadModelRequest.newBuilder().setModel(ModelRef.newBuilder()
                .setName(TinyCheckpoints.BE).setVersion("v2")).build());
    }

    @Test
    void sharesTheNativeServicesMetersAndReflection() throws Exception {
        server.oip.modelInfer(pixels(TinyCheckpoints.SINGLE, 0, 1).build());
        String scrape = server.running.server().registry().scrape();
        assertTrue(scrape.contains("inference_requests_total{method=\"SINGLE\",model=\"single\""), scrape);
        assertTrue(scrape.contains("service=\"inference.GRPCInferenceService\""), "gRPC meters of the OIP service");

        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(server.channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        services.complete(r.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        reflection.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        reflection.onCompleted();
        List<String> names = services.get(10, TimeUnit.SECONDS);
        assertTrue(names.contains("inference.GRPCInferenceService"), names.toString());
        assertTrue(names.contains("ensemblescope.v1.InferenceService"), names.toString());
    }
}
