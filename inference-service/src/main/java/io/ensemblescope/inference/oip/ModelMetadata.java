package io.ensemblescope.inference.oip;

import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.serving.ModelView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as the protocol describes it: the platform names the method, the one input takes raw pixels (UINT8, or
 * FP32 model input), every output is FP32, and the properties carry k, the method and MC Dropout's T.
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                            List<TensorMetadata> outputs, Map<String, String> properties) {
    /** The name of the one input tensor. */
    public static final String INPUT = "input";

    /** One tensor; -1 marks a dimension that varies per request. */
    public record TensorMetadata(String name, String datatype, long[] shape) {}

    public static String platform(Method m) {
        return "ensemblescope_" + switch (m) {
            case SINGLE -> "single";
            case MC_DROPOUT -> "mc_dropout";
            case DEEP_ENSEMBLE -> "deep_ensemble";
            case BATCH_ENSEMBLE -> "batch_ensemble";
        };
    }

    static ModelMetadata of(ModelView view, List<String> versions) {
        Manifest m = view.manifest();
        Method method = m.network().method();
        long[] input = new long[m.inputShape().length + 1];
        input[0] = -1;
        System.arraycopy(m.inputShape(), 0, input, 1, m.inputShape().length);
        // Only a single model always returns k = 1: T varies with mc_samples, ensembles' k with the members subset.
        long k = method == Method.SINGLE ? 1 : -1;
        List<TensorMetadata> outputs = new ArrayList<>();
        for (OipOutput o : OipOutput.values()) {
            outputs.add(new TensorMetadata(o.wireName(), OipOutput.DATATYPE, o.shape(k, -1, m.classes())));
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", method.name());
        p.put("k", Integer.toString(method == Method.MC_DROPOUT ? m.network().mcSamples() : m.network().members()));
        if (method == Method.MC_DROPOUT) {
            p.put("mc_samples", Integer.toString(m.network().mcSamples()));
        }
        p.put("architecture", m.network().architecture());
        p.put("classes", Integer.toString(m.classes()));
        p.put("class_names", String.join(",", m.classNames()));
        p.put("input_datatypes", "UINT8,FP32");
        p.put("normalization_mean", floats(m.normalizationMean()));
        p.put("normalization_std", floats(m.normalizationStd()));
        p.put("version", m.version());
        p.put("state", view.state().name());
        p.put("device", view.device());
        p.put("max_request_batch", Integer.toString(view.maxRequestBatch()));
        return new ModelMetadata(m.name(), versions, platform(method),
                List.of(new TensorMetadata(INPUT, OipDatatype.UINT8.name(), input)), outputs, p);
    }

    private static String floats(float[] values) {
        StringBuilder b = new StringBuilder();
        for (float v : values) {
            b.append(b.length() == 0 ? "" : ",").append(v);
        }
        return b.toString();
    }
}
