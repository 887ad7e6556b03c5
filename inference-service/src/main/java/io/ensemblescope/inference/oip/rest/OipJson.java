package io.ensemblescope.inference.oip.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.inference.grpc.ProtoCodec;
import io.ensemblescope.inference.oip.InferResult;
import io.ensemblescope.inference.oip.ModelMetadata;
import io.ensemblescope.inference.oip.OipOutput;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocol's JSON response objects. Output data is written flat, row-major; a float prints as its shortest
 * round-tripping text, so a client parsing it as float32 gets the server's value exactly. Outputs in
 * {@code binary} go after the JSON instead (binary tensor data extension), announced by binary_data_size.
 */
final class OipJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(InferRequestJson.JSON);

    private OipJson() {}

    static byte[] error(String message) {
        return write(Map.of("error", message == null ? "error" : message));
    }

    static byte[] serverMetadata(String name, String version, List<String> extensions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("extensions", extensions);
        return write(m);
    }

    static byte[] modelMetadata(ModelMetadata m) {
        return write(m);
    }

    static byte[] inferResponse(InferResult r, Set<OipOutput> binary, ByteArrayOutputStream binaryOut) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model_name", r.modelName());
        root.put("model_version", r.modelVersion());
        root.put("id", r.id());
        root.put("parameters", r.parameters());
        List<Map<String, Object>> outputs = new ArrayList<>(r.outputs().size());
        for (InferResult.Output o : r.outputs()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", o.output().wireName());
            t.put("datatype", OipOutput.DATATYPE);
            t.put("shape", o.shape());
            if (binary.contains(o.output())) {
                byte[] bytes = ProtoCodec.littleEndian(o.data()).toByteArray();
                binaryOut.writeBytes(bytes);
                t.put("parameters", Map.of(InferRequestJson.BINARY_DATA_SIZE, bytes.length));
            } else {
                t.put("data", o.data());
            }
            outputs.add(t);
        }
        root.put("outputs", outputs);
        return write(root);
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
