package io.ensemblescope.inference.oip;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.oip.InferParameter;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.oip.ModelInferResponse;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.grpc.ProtoCodec;

/** Open Inference Protocol requests over the same real MNIST pixels the native tests send. */
final class OipRequests {
    private OipRequests() {}

    /** The native request of {@code n} test images from {@code from}. */
    static PredictRequest nativePixels(String model, int from, int n) {
        return ServerHarness.pixels(model, from, n);
    }

    /** The same pixels as a ModelInferRequest with raw_input_contents, every output. */
    static ModelInferRequest.Builder pixels(String model, int from, int n) {
        PredictRequest p = nativePixels(model, from, n);
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("UINT8").addAllShape(p.getInput().getShapeList());
        return ModelInferRequest.newBuilder().setModelName(model).setId("oip-" + from + "-" + n).addInputs(input)
                .addRawInputContents(p.getInput().getRawData());
    }

    static ModelInferRequest.Builder withOutputs(ModelInferRequest.Builder r, String... names) {
        for (String name : names) {
            r.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(name));
        }
        return r;
    }

    static InferParameter int64(long v) {
        return InferParameter.newBuilder().setInt64Param(v).build();
    }

    static InferParameter string(String v) {
        return InferParameter.newBuilder().setStringParam(v).build();
    }

    /** The raw bytes of output {@code name}. */
    static ByteString raw(ModelInferResponse r, String name) {
        for (int i = 0; i < r.getOutputsCount(); i++) {
            if (r.getOutputs(i).getName().equals(name)) {
                return r.getRawOutputContents(i);
            }
        }
        throw new AssertionError("no output " + name + " in " + r.getOutputsList());
    }

    static float[] floats(ModelInferResponse r, String name) {
        return ProtoCodec.floats(raw(r, name));
    }

    static long[] shape(ModelInferResponse r, String name) {
        return r.getOutputsList().stream().filter(o -> o.getName().equals(name)).findFirst().orElseThrow()
                .getShapeList().stream().mapToLong(Long::longValue).toArray();
    }
}
