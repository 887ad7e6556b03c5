package io.ensemblescope.inference.oip;

import static io.ensemblescope.inference.oip.OipRequests.int64;
import static io.ensemblescope.inference.oip.OipRequests.pixels;
import static io.ensemblescope.inference.oip.OipRequests.string;
import static io.ensemblescope.inference.oip.OipRequests.withOutputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.ensemblescope.api.oip.InferParameter;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.oip.ModelMetadataRequest;
import io.ensemblescope.api.oip.ModelReadyRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.serving.ForwardListener;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad ModelInfer gets the protocol's gRPC status and a message naming the field, quoting client text short. */
class OipErrorsTest {
    private static final String LONG = "x".repeat(10_000);

    @AutoClose
    private static final ServerHarness server = ServerHarness.cpuDefaults();

    private static Arguments bad(String what, Status.Code code, String mentions,
                                 UnaryOperator<ModelInferRequest.Builder> change) {
        return Arguments.of(what, code, mentions, change.apply(pixels(TinyCheckpoints.BE, 0, 1)).build());
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("unknown request parameter", Status.Code.INVALID_ARGUMENT, "'temperature'",
                        r -> r.putParameters("temperature", int64(2))),
                bad("mc_samples on a BatchEnsemble", Status.Code.INVALID_ARGUMENT, "mc_samples",
                        r -> r.putParameters("mc_samples", int64(3))),
                bad("mc_samples not an integer", Status.Code.INVALID_ARGUMENT, "parameters.mc_samples",
                        r -> r.putParameters("mc_samples", string("many"))),
                bad("member out of range", Status.Code.INVALID_ARGUMENT, "member 9",
                        r -> r.putParameters("members", string("0,9"))),
                bad("members not indices", Status.Code.INVALID_ARGUMENT, "parameters.members",
                        r -> r.putParameters("members", string("a,b"))),
                bad("members repeated", Status.Code.INVALID_ARGUMENT, "parameters.members",
                        r -> r.putParameters("members", string("1,1"))),
                bad("members of MC Dropout", Status.Code.INVALID_ARGUMENT, "use mc_samples",
                        r -> r.setModelName(TinyCheckpoints.MC).putParameters("members", string("0"))),
                bad("unknown output", Status.Code.INVALID_ARGUMENT, "'softmax'",
                        r -> withOutputs(r, "softmax")),
                bad("output twice", Status.Code.INVALID_ARGUMENT, "requested twice",
                        r -> withOutputs(r, "logits", "logits")),
                bad("unknown output parameter", Status.Code.INVALID_ARGUMENT, "outputs[0].parameters",
                        r -> r.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                                .setName("logits").putParameters("classification", int64(3)))),
                bad("unknown input parameter", Status.Code.INVALID_ARGUMENT, "inputs[0].parameters",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().putParameters("binary_data_size",
                                int64(784)))),
                bad("input name", Status.Code.INVALID_ARGUMENT, "inputs[0].name",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setName("pixels"))),
                bad("two inputs", Status.Code.INVALID_ARGUMENT, "one tensor",
                        r -> r.addInputs(r.getInputs(0)).addRawInputContents(r.getRawInputContents(0))),
                bad("raw contents count", Status.Code.INVALID_ARGUMENT, "raw_input_contents",
                        r -> r.addRawInputContents(r.getRawInputContents(0))),
                bad("datatype", Status.Code.INVALID_ARGUMENT, "inputs[0].datatype",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setDatatype("FP64"))),
                bad("shape of another model", Status.Code.INVALID_ARGUMENT, "input.shape",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setShape(3, 27))
                                .setRawInputContents(0, ByteString.copyFrom(new byte[28 * 27]))),
                bad("negative dimension", Status.Code.INVALID_ARGUMENT, "inputs[0].shape",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setShape(0, -1))),
                bad("byte length", Status.Code.INVALID_ARGUMENT, "raw_input_contents[0]: 783 bytes",
                        r -> r.setRawInputContents(0, r.getRawInputContents(0).substring(1))),
                bad("element count", Status.Code.INVALID_ARGUMENT, "inputs[0].contents: 3 elements",
                        r -> r.clearRawInputContents().setInputs(0, r.getInputs(0).toBuilder().setContents(
                                io.ensemblescope.api.oip.InferTensorContents.newBuilder()
                                        .addUintContents(1).addUintContents(2).addUintContents(3)))),
                bad("contents of another datatype", Status.Code.INVALID_ARGUMENT, "uint_contents only",
                        r -> r.clearRawInputContents().setInputs(0, r.getInputs(0).toBuilder().setContents(
                                io.ensemblescope.api.oip.InferTensorContents.newBuilder().addFp32Contents(1f)))),
                bad("pixel above 255", Status.Code.INVALID_ARGUMENT, "300 is not a UINT8",
                        r -> r.clearRawInputContents().setInputs(0, r.getInputs(0).toBuilder().setContents(
                                io.ensemblescope.api.oip.InferTensorContents.newBuilder().addUintContents(300)))),
                bad("NaN input", Status.Code.INVALID_ARGUMENT, "finite",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setDatatype("FP32"))
                                .setRawInputContents(0, ProtoCodec.littleEndian(nanPixels()))),
                bad("parameter without value", Status.Code.INVALID_ARGUMENT, "no value set",
                        r -> r.putParameters("mc_samples", InferParameter.getDefaultInstance())),
                bad("unknown model", Status.Code.NOT_FOUND, "nosuchmodel", r -> r.setModelName("nosuchmodel")),
                bad("unknown version", Status.Code.NOT_FOUND, "v9", r -> r.setModelVersion("v9")),
                bad("path in the name", Status.Code.INVALID_ARGUMENT, "model_name", r -> r.setModelName("../be")),
                bad("path in the version", Status.Code.INVALID_ARGUMENT, "model_version",
                        r -> r.setModelVersion("../../etc")),
                bad("batch above the limit", Status.Code.RESOURCE_EXHAUSTED, "above the maximum",
                        r -> r.setInputs(0, r.getInputs(0).toBuilder().setShape(0, 4097))
                                .setRawInputContents(0, ByteString.copyFrom(new byte[4097 * 784]))));
    }

    private static float[] nanPixels() {
        float[] x = new float[784];
        x[5] = Float.NaN;
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInferRequestsGetTheirStatus(String what, Status.Code code, String mentions, ModelInferRequest r) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.oip.modelInfer(r));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(mentions), e.getStatus().getDescription());
    }

    @Test
    void longClientTextIsQuotedShort() {
        for (ModelInferRequest r : new ModelInferRequest[] {
            pixels(TinyCheckpoints.BE, 0, 1).setModelName(LONG).build(),
            pixels(TinyCheckpoints.BE, 0, 1).putParameters(LONG, int64(1)).build(),
            withOutputs(pixels(TinyCheckpoints.BE, 0, 1), LONG).build(),
            pixels(TinyCheckpoints.BE, 0, 1).putParameters("members", string(LONG)).build()}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.oip.modelInfer(r));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().length() < 400, e.getStatus().getDescription());
        }
    }

    @Test
    void metadataAndReadinessOfUnknownModelsAreNotFound() {
        for (Runnable call : new Runnable[] {
            () -> server.oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("nosuchmodel").build()),
            () -> server.oip.modelReady(ModelReadyRequest.newBuilder().setName("nosuchmodel").build()),
            () -> server.oip.modelReady(ModelReadyRequest.newBuilder().setName("be").setVersion("v7").build())}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        }
    }

    @Test
    void aModelThatIsNotLoadedIsUnavailableWithoutAutoload() throws Exception {
        try (ServerHarness manual = new ServerHarness(ServingOptions.defaults(Device.cpu()).withAutoload(false),
                ForwardListener.NONE)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> manual.oip.modelInfer(pixels(TinyCheckpoints.SINGLE, 0, 1).build()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertFalse(manual.oip.modelReady(ModelReadyRequest.newBuilder().setName(TinyCheckpoints.SINGLE)
                    .build()).getReady());
        }
    }
}
