package io.ensemblescope.inference.oip.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.ensemblescope.inference.oip.InferRequest;
import io.ensemblescope.inference.oip.OipDatatype;
import io.ensemblescope.inference.oip.OipText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the protocol's inference request JSON object with a streaming parser, so tensor data goes straight into a
 * primitive array (memory stays proportional to the body, never a node per number). Data may be flat or nested
 * row-major arrays; an input whose {@code binary_data_size} parameter is set takes its bytes from the binary part
 * that follows the JSON (the binary tensor data extension). Unknown fields outside parameters are ignored.
 */
final class InferRequestJson {
    static final String BINARY_DATA_SIZE = "binary_data_size";
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    private InferRequestJson() {}

    /**
     * The request in {@code json}, for model {@code name} (version {@code version}, "" for the server's choice).
     *
     * @param binary the bytes after the JSON (empty without the extension), consumed by inputs in order
     */
    static InferRequest read(byte[] json, int length, ByteBuffer binary, String name, String version)
            throws IOException {
        String id = "";
        Map<String, Object> parameters = Map.of();
        List<InferRequest.Input> inputs = new ArrayList<>();
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json, 0, length)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "request body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, value, "id");
                    case "parameters" -> parameters = parameters(p, value, "parameters");
                    case "inputs" -> {
                        expect(value, JsonToken.START_ARRAY, "inputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            inputs.add(input(p, "inputs[" + inputs.size() + "]", binary));
                        }
                    }
                    case "outputs" -> {
                        expect(value, JsonToken.START_ARRAY, "outputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            outputs.add(output(p, "outputs[" + outputs.size() + "]"));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (binary.hasRemaining()) {
            throw new IllegalArgumentException("binary data: " + binary.remaining() + " bytes left over after every"
                    + " input took its binary_data_size");
        }
        return new InferRequest(name, version, id, parameters, inputs, outputs);
    }

    private static InferRequest.Input input(JsonParser p, String field, ByteBuffer binary) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, field);
        String name = null;
        String datatype = null;
        long[] shape = null;
        Map<String, Object> parameters = Map.of();
        Elements data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "name" -> name = string(p, value, field + ".name");
                case "datatype" -> datatype = string(p, value, field + ".datatype");
                case "shape" -> shape = shape(p, value, field + ".shape");
                case "parameters" -> parameters = parameters(p, value, field + ".parameters");
                case "data" -> data = Elements.read(p, field + ".data");
                default -> p.skipChildren();
            }
        }
        OipDatatype type = OipDatatype.parse(datatype, field + ".datatype");
        Object size = parameters.get(BINARY_DATA_SIZE);
        if (size != null) {
            if (data != null) {
                throw new IllegalArgumentException(field + ": has both data and " + BINARY_DATA_SIZE);
            }
            if (!(size instanceof Long n) || n < 0 || n > binary.remaining()) {
                throw new IllegalArgumentException(field + ".parameters." + BINARY_DATA_SIZE + ": "
                        + OipText.quote(String.valueOf(size)) + " is not a byte count within the "
                        + binary.remaining() + " binary bytes left");
            }
            ByteBuffer bytes = binary.slice(binary.position(), n.intValue()).order(ByteOrder.LITTLE_ENDIAN);
            binary.position(binary.position() + n.intValue());
            return new InferRequest.Input(name, datatype, shape, parameters, bytes, field + " binary data", true);
        }
        if (data == null) {
            throw new IllegalArgumentException(field + ".data: required (or the " + BINARY_DATA_SIZE
                    + " parameter with binary data)");
        }
        return new InferRequest.Input(name, datatype, shape, parameters, data.bytes(type, field + ".data"),
                field + ".data", false);
    }

    private static InferRequest.RequestedOutput output(JsonParser p, String field) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, field);
        String name = null;
        Map<String, Object> parameters = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "name" -> name = string(p, value, field + ".name");
                case "parameters" -> parameters = parameters(p, value, field + ".parameters");
                default -> p.skipChildren();
            }
        }
        return new InferRequest.RequestedOutput(name, parameters);
    }

    /** A parameters object: each value a boolean, integer (Long), other number (Double) or string. */
    static Map<String, Object> parameters(JsonParser p, JsonToken token, String field) throws IOException {
        expect(token, JsonToken.START_OBJECT, field);
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            Object value = switch (p.nextToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_STRING -> p.getText();
                // Integers stay Long (a ternary of long and double would widen them to double).
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> throw new IllegalArgumentException(field + "." + OipText.quote(key)
                        + ": must be a boolean, number or string");
            };
            out.put(key, value);
        }
        return out;
    }

    private static long[] shape(JsonParser p, JsonToken token, String field) throws IOException {
        expect(token, JsonToken.START_ARRAY, field);
        long[] dims = new long[4];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new IllegalArgumentException(field + ": dimensions must be integers");
            }
            if (n == 64) {
                throw new IllegalArgumentException(field + ": more than 64 dimensions");
            }
            if (n == dims.length) {
                dims = Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = p.getLongValue();
        }
        return Arrays.copyOf(dims, n);
    }

    private static String string(JsonParser p, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return p.getText();
    }

    static void expect(JsonToken token, JsonToken expected, String field) {
        if (token != expected) {
            throw new IllegalArgumentException(field + ": must be a JSON " + switch (expected) {
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                default -> expected.asString();
            });
        }
    }

    /**
     * The numbers of one tensor's data, flattened row-major as they arrive. FP32 values are parsed from their text
     * as floats (never through double), so a float written by any shortest-representation printer returns exactly.
     */
    private static final class Elements {
        private float[] values = new float[1024];
        private int size;
        /** Index of the first element written with a fraction or exponent, -1 if none. */
        private int firstFractional = -1;

        static Elements read(JsonParser p, String field) throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, field);
            Elements e = new Elements();
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                switch (t) {
                    case START_ARRAY -> depth++;
                    case END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> e.add(p.getNumberType() == JsonParser.NumberType.INT
                            ? (float) p.getIntValue() : Float.parseFloat(p.getText()));
                    case VALUE_NUMBER_FLOAT -> {
                        if (e.firstFractional < 0) {
                            e.firstFractional = e.size;
                        }
                        e.add(Float.parseFloat(p.getText()));
                    }
                    default -> throw new IllegalArgumentException(field + ": must hold only numbers (nested"
                            + " arrays allowed), found " + (t == null ? "the end of the body" : t.asString()));
                }
            }
            return e;
        }

        private void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        /** Little-endian bytes of the elements as {@code type}. */
        ByteBuffer bytes(OipDatatype type, String field) {
            ByteBuffer out = ByteBuffer.allocate(size * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < size; i++) {
                float v = values[i];
                if (type == OipDatatype.FP32) {
                    out.putFloat(v);
                } else if (i == firstFractional || v < 0 || v > 255) {
                    throw new IllegalArgumentException(field + ": UINT8 elements must be integers 0..255; element "
                            + i + " is " + (i == firstFractional ? "written with a fraction" : Float.toString(v)));
                } else {
                    out.put((byte) v);
                }
            }
            return out.flip();
        }
    }
}
