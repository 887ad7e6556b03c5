package io.ensemblescope.inference.oip;

import io.ensemblescope.inference.serving.InputTensor;
import io.ensemblescope.inference.serving.PredictCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A validated inference request: the serving core's call, the outputs to return and the members to keep. Every
 * rejection is an IllegalArgumentException naming the field, quoting client text short ({@link OipText}); what
 * depends on the model (shape, mc_samples, member indices) is checked by the serving core and {@link InferOutputs}.
 *
 * @param call what the serving core runs
 * @param outputs the outputs to return, in order
 * @param members indices of the members to keep, or null for all
 */
record InferPlan(PredictCall call, List<OipOutput> outputs, int[] members) {
    static final String MC_SAMPLES = "mc_samples";
    static final String MEMBERS = "members";
    /** Most member indices a members parameter may list. */
    static final int MAX_MEMBERS = 4096;
    /** Highest input rank accepted (models take [B, C, H, W] or less). */
    static final int MAX_RANK = 16;
    private static final Set<String> REQUEST_PARAMETERS = Set.of(MC_SAMPLES, MEMBERS);

    static InferPlan of(InferRequest r, BindingParameters binding, long receivedNanos, long deadlineNanos,
                        BooleanSupplier cancelled) {
        String name = OipText.modelName(r.modelName());
        String version = OipText.modelVersion(r.modelVersion());
        Map<String, Object> params = r.parameters() == null ? Map.of() : r.parameters();
        checkKnown(params, REQUEST_PARAMETERS, binding.request(), "parameters");
        int mcSamples = mcSamples(params.get(MC_SAMPLES));
        int[] members = members(params.get(MEMBERS));
        InputTensor input = input(r.inputs(), binding);
        List<OipOutput> outputs = outputs(r.outputs(), binding);
        PredictCall call = new PredictCall(name, version, input, mcSamples, outputs.contains(OipOutput.LOGITS),
                r.id() == null ? "" : r.id(), receivedNanos, deadlineNanos, cancelled);
        return new InferPlan(call, outputs, members);
    }

    private static void checkKnown(Map<String, Object> params, Set<String> known, Set<String> binding,
                                   String field) {
        List<String> unknown = params.keySet().stream().filter(k -> !known.contains(k) && !binding.contains(k))
                .sorted().limit(5).map(OipText::quote).toList();
        if (!unknown.isEmpty()) {
            Set<String> all = new TreeSet<>(known);
            all.addAll(binding);
            throw new IllegalArgumentException(field + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + (all.isEmpty() ? "; none are accepted here"
                    : "; accepted: " + String.join(", ", all)));
        }
    }

    private static int mcSamples(Object v) {
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameters.mc_samples: must be a non-negative integer (0 = the"
                    + " model's default T), got " + OipText.quote(String.valueOf(v)));
        }
        return n.intValue();
    }

    /** "0,2,3" (or one integer) → distinct member indices; range is checked against k once k is known. */
    private static int[] members(Object v) {
        if (v == null) {
            return null;
        }
        String text = v instanceof Long n ? n.toString() : v instanceof String s ? s : null;
        String problem = "must list distinct member indices, e.g. \"0,2\", got " + OipText.quote(String.valueOf(v));
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("parameters.members: " + problem);
        }
        String[] parts = text.split(",", MAX_MEMBERS + 1);
        if (parts.length > MAX_MEMBERS) {
            throw new IllegalArgumentException("parameters.members: at most " + MAX_MEMBERS + " indices");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameters.members: " + problem);
            }
            if (out[i] < 0) {
                throw new IllegalArgumentException("parameters.members: " + problem);
            }
        }
        if (Arrays.stream(out).distinct().count() != out.length) {
            throw new IllegalArgumentException("parameters.members: " + problem);
        }
        return out;
    }

    private static InputTensor input(List<InferRequest.Input> inputs, BindingParameters binding) {
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException("inputs: expected one tensor named '" + ModelMetadata.INPUT
                    + "', got " + (inputs == null ? 0 : inputs.size()));
        }
        InferRequest.Input in = inputs.get(0);
        if (!ModelMetadata.INPUT.equals(in.name())) {
            throw new IllegalArgumentException("inputs[0].name: expected '" + ModelMetadata.INPUT + "', got "
                    + OipText.quote(in.name()));
        }
        checkKnown(in.parameters() == null ? Map.of() : in.parameters(), Set.of(), binding.input(),
                "inputs[0].parameters");
        OipDatatype type = OipDatatype.parse(in.datatype(), "inputs[0].datatype");
        long[] shape = in.shape() == null ? new long[0] : in.shape();
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("inputs[0].shape: rank " + shape.length + " is above " + MAX_RANK);
        }
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException("inputs[0].shape: dimension " + d + " is " + shape[d]
                        + "; dimensions must be >= 0");
            }
            if (shape[d] != 0 && elements > Integer.MAX_VALUE / shape[d]) {
                throw new IllegalArgumentException("inputs[0].shape: " + Arrays.toString(shape)
                        + " has more elements than a request may carry");
            }
            elements *= shape[d];
        }
        long bytes = in.data() == null ? 0 : in.data().remaining();
        long expected = elements * type.bytes();
        if (bytes != expected) {
            throw new IllegalArgumentException(in.raw()
                    ? in.dataField() + ": " + bytes + " bytes, shape " + Arrays.toString(shape) + " of " + type
                            + " needs " + expected
                    : in.dataField() + ": " + bytes / type.bytes() + " elements, shape " + Arrays.toString(shape)
                            + " needs " + elements);
        }
        return new InputTensor(shape, type.input(), in.data());
    }

    private static List<OipOutput> outputs(List<InferRequest.RequestedOutput> requested,
                                           BindingParameters binding) {
        if (requested == null || requested.isEmpty()) {
            return List.of(OipOutput.values());
        }
        if (requested.size() > OipOutput.values().length) {
            throw new IllegalArgumentException("outputs: " + requested.size() + " requested; a model has "
                    + OipOutput.values().length + " (" + Arrays.stream(OipOutput.values()).map(OipOutput::wireName)
                    .collect(Collectors.joining(", ")) + ")");
        }
        EnumSet<OipOutput> seen = EnumSet.noneOf(OipOutput.class);
        List<OipOutput> out = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            InferRequest.RequestedOutput o = requested.get(i);
            OipOutput output = OipOutput.named(o.name(), "outputs[" + i + "].name");
            if (!seen.add(output)) {
                throw new IllegalArgumentException("outputs[" + i + "].name: " + output.wireName()
                        + " is requested twice");
            }
            checkKnown(o.parameters() == null ? Map.of() : o.parameters(), Set.of(), binding.output(),
                    "outputs[" + i + "].parameters");
            out.add(output);
        }
        return List.copyOf(out);
    }
}
