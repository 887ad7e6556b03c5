package io.ensemblescope.inference.oip;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One inference request of the protocol as both bindings decode it, not yet validated. Parameter values are Boolean,
 * Long, Double or String.
 *
 * @param modelName the model (from the message or the URL)
 * @param modelVersion the version, empty for the server's choice
 * @param id the caller's id, echoed
 * @param parameters request parameters
 * @param inputs input tensors
 * @param outputs requested outputs; empty means all
 */
public record InferRequest(String modelName, String modelVersion, String id, Map<String, Object> parameters,
                           List<Input> inputs, List<RequestedOutput> outputs) {

    /**
     * One input tensor with its elements as raw little-endian bytes.
     *
     * @param name tensor name
     * @param datatype protocol datatype string, as sent
     * @param shape dimensions as sent
     * @param parameters tensor parameters
     * @param data the elements, little-endian (typed contents already converted)
     * @param dataField where the elements came from, for errors (e.g. "raw_input_contents[0]")
     * @param raw whether the client sent raw bytes (errors then count bytes, else elements)
     */
    public record Input(String name, String datatype, long[] shape, Map<String, Object> parameters, ByteBuffer data,
                        String dataField, boolean raw) {}

    /** A requested output and its parameters. */
    public record RequestedOutput(String name, Map<String, Object> parameters) {}
}
