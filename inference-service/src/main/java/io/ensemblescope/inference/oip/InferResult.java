package io.ensemblescope.inference.oip;

import java.util.List;
import java.util.Map;

/**
 * The answer to an inference request: the requested outputs in the order asked for (every output when none was).
 *
 * @param parameters response parameters (Long and String values): server-side timings and the members used
 */
public record InferResult(String modelName, String modelVersion, String id, List<Output> outputs,
                          Map<String, Object> parameters) {

    /** One FP32 output tensor, row-major. */
    public record Output(OipOutput output, long[] shape, float[] data) {}
}
