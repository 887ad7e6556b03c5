package io.ensemblescope.metrics.service;

import io.ensemblescope.core.text.ClientText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inference services this metrics service may dial, as its operator configured them: a default target and
 * named others. A RunEvaluation names one of them (or none, for the default); an address a client made up is refused,
 * so the metrics service never connects where a client points it.
 */
public final class InferenceTargets {
    private final String defaultTarget;
    private final Map<String, String> named;

    private InferenceTargets(String defaultTarget, Map<String, String> named) {
        this.defaultTarget = defaultTarget == null ? "" : defaultTarget.strip();
        this.named = Map.copyOf(named);
    }

    /** Only the default target ("" for none). */
    public static InferenceTargets only(String defaultTarget) {
        return new InferenceTargets(defaultTarget, Map.of());
    }

    /** The default target plus {@code NAME=HOST:PORT} entries (operator input: a malformed one is an error). */
    public static InferenceTargets of(String defaultTarget, List<String> namedSpecs) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String spec : namedSpecs) {
            int eq = spec.indexOf('=');
            if (eq < 1 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("named inference target '" + spec + "': expected NAME=HOST:PORT");
            }
            named.put(spec.substring(0, eq).strip(), spec.substring(eq + 1).strip());
        }
        return new InferenceTargets(defaultTarget, named);
    }

    /**
     * The address to dial for a request's {@code inference_target}: the default for an empty one, else the
     * configured target it names (by name, or by its configured address).
     *
     * @throws IllegalStateException    when it is empty and no default is configured
     * @throws IllegalArgumentException when it names no configured target
     */
    public String resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            if (defaultTarget.isEmpty()) {
                throw new IllegalStateException("inference_target: empty, and this metrics service has no default"
                        + " target (--inference-target)");
            }
            return defaultTarget;
        }
        if (requested.equals(defaultTarget) || named.containsValue(requested)) {
            return requested;
        }
        String address = named.get(requested);
        if (address == null) {
            throw new IllegalArgumentException("inference_target: " + ClientText.quote(requested) + " is not a"
                    + " target configured on this metrics service; leave it empty for the default"
                    + (named.isEmpty() ? "" : " or name one of " + named.keySet()));
        }
        return address;
    }
}
