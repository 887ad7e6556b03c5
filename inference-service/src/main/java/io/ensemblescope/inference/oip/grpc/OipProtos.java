package io.ensemblescope.inference.oip.grpc;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.oip.InferParameter;
import io.ensemblescope.api.oip.InferTensorContents;
import io.ensemblescope.api.oip.ModelInferRequest;
import io.ensemblescope.api.oip.ModelInferResponse;
import io.ensemblescope.api.oip.ModelMetadataResponse;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.oip.InferRequest;
import io.ensemblescope.inference.oip.InferResult;
import io.ensemblescope.inference.oip.ModelMetadata;
import io.ensemblescope.inference.oip.OipDatatype;
import io.ensemblescope.inference.oip.OipOutput;
import io.ensemblescope.inference.oip.OipText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between the protocol's gRPC messages and the binding-neutral records. Inputs arrive as
 * raw_input_contents or typed contents (uint_contents for UINT8, fp32_contents for FP32); outputs leave as
 * raw_output_contents, float32 little-endian, as Triton and KServe clients read them.
 */
final class OipProtos {
    private OipProtos() {}

    static InferRequest toRequest(ModelInferRequest r) {
        boolean raw = r.getRawInputContentsCount() > 0;
        if (raw && r.getRawInputContentsCount() != r.getInputsCount()) {
            throw new IllegalArgumentException("raw_input_contents: " + r.getRawInputContentsCount()
                    + " entries for " + r.getInputsCount() + " inputs; need one per input");
        }
        List<InferRequest.Input> inputs = new ArrayList<>(r.getInputsCount());
        for (int i = 0; i < r.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor t = r.getInputs(i);
            String field = "inputs[" + i + "]";
            ByteBuffer data;
            String dataField;
            if (raw) {
                if (t.hasContents()) {
                    throw new IllegalArgumentException(field + ".contents: must be empty when raw_input_contents"
                            + " is used");
                }
                data = r.getRawInputContents(i).asReadOnlyByteBuffer();
                dataField = "raw_input_contents[" + i + "]";
            } else {
                dataField = field + ".contents";
                data = typed(t.getContents(), OipDatatype.parse(t.getDatatype(), field + ".datatype"), dataField);
            }
            inputs.add(new InferRequest.Input(t.getName(), t.getDatatype(),
                    t.getShapeList().stream().mapToLong(Long::longValue).toArray(), parameters(t.getParametersMap(),
                    field + ".parameters"), data, dataField, raw));
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>(r.getOutputsCount());
        for (int i = 0; i < r.getOutputsCount(); i++) {
            ModelInferRequest.InferRequestedOutputTensor o = r.getOutputs(i);
            outputs.add(new InferRequest.RequestedOutput(o.getName(), parameters(o.getParametersMap(),
                    "outputs[" + i + "].parameters")));
        }
        return new InferRequest(r.getModelName(), r.getModelVersion(), r.getId(),
                parameters(r.getParametersMap(), "parameters"), inputs, outputs);
    }

    /** Typed contents as little-endian bytes; only the field matching the datatype may be set. */
    private static ByteBuffer typed(InferTensorContents c, OipDatatype type, String field) {
        int others = c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount()
                + c.getUint64ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount()
                + (type == OipDatatype.UINT8 ? c.getFp32ContentsCount() : c.getUintContentsCount());
        if (others > 0) {
            throw new IllegalArgumentException(field + ": " + type + " elements go in "
                    + (type == OipDatatype.UINT8 ? "uint_contents" : "fp32_contents") + " only");
        }
        if (type == OipDatatype.FP32) {
            ByteBuffer b = ByteBuffer.allocate(c.getFp32ContentsCount() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < c.getFp32ContentsCount(); i++) {
                b.putFloat(c.getFp32Contents(i));
            }
            return b.flip();
        }
        ByteBuffer b = ByteBuffer.allocate(c.getUintContentsCount());
        for (int i = 0; i < c.getUintContentsCount(); i++) {
            int v = c.getUintContents(i);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException(field + ".uint_contents[" + i + "]: " + Integer.toUnsignedString(v)
                        + " is not a UINT8 (0..255)");
            }
            b.put((byte) v);
        }
        return b.flip();
    }

    /** Protocol parameters as Boolean, Long, Double or String values. */
    static Map<String, Object> parameters(Map<String, InferParameter> params, String field) {
        if (params.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, InferParameter> e : params.entrySet()) {
            InferParameter p = e.getValue();
            Object v = switch (p.getParameterChoiceCase()) {
                case BOOL_PARAM -> p.getBoolParam();
                case INT64_PARAM -> p.getInt64Param();
                case STRING_PARAM -> p.getStringParam();
                case DOUBLE_PARAM -> p.getDoubleParam();
                case UINT64_PARAM -> {
                    if (p.getUint64Param() < 0) {
                        throw new IllegalArgumentException(field + "." + OipText.quote(e.getKey())
                                + ": uint64 value above 2^63 - 1");
                    }
                    yield p.getUint64Param();
                }
                case PARAMETERCHOICE_NOT_SET -> throw new IllegalArgumentException(field + "."
                        + OipText.quote(e.getKey()) + ": no value set");
            };
            out.put(e.getKey(), v);
        }
        return out;
    }

    static ModelInferResponse toResponse(InferResult r) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.modelName())
                .setModelVersion(r.modelVersion()).setId(r.id());
        r.parameters().forEach((k, v) -> b.putParameters(k, parameter(v)));
        for (InferResult.Output o : r.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder t = b.addOutputsBuilder().setName(o.output().wireName())
                    .setDatatype(OipOutput.DATATYPE);
            for (long d : o.shape()) {
                t.addShape(d);
            }
            b.addRawOutputContents(ProtoCodec.littleEndian(o.data()));
        }
        return b.build();
    }

    private static InferParameter parameter(Object v) {
        InferParameter.Builder p = InferParameter.newBuilder();
        if (v instanceof Long n) {
            p.setInt64Param(n);
        } else {
            p.setStringParam(String.valueOf(v));
        }
        return p.build();
    }

    static ModelMetadataResponse toMetadata(ModelMetadata m) {
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                .addAllVersions(m.versions()).setPlatform(m.platform()).putAllProperties(m.properties());
        m.inputs().forEach(t -> b.addInputs(tensor(t)));
        m.outputs().forEach(t -> b.addOutputs(tensor(t)));
        return b.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(ModelMetadata.TensorMetadata t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }
}
