package io.ensemblescope.reports.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The load test as one JSON document: setup, memory, every run with all its numbers (windows and latency CDF
 * included) and the comparison with the single model. Non-finite numbers are written as null.
 */
public final class LoadJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private LoadJson() {}

    public static String render(LoadReport report) {
        ObjectNode root = JSON.valueToTree(report);
        ArrayNode ratios = root.putArray("comparison");
        for (LoadComparison.Ratio r : LoadComparison.of(report.results())) {
            ratios.addObject().put("model", r.result().model()).put("baseline", r.baseline().model())
                    .put("point", r.result().point().id()).put("p50_ratio", r.p50()).put("p99_ratio", r.p99())
                    .put("throughput_ratio", r.throughput());
        }
        try {
            return JSON.writeValueAsString(nullNonFinite(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON has no NaN or Infinity: such numbers become null. */
    private static com.fasterxml.jackson.databind.JsonNode nullNonFinite(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.properties().forEach(e -> o.set(e.getKey(), nullNonFinite(e.getValue())));
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, nullNonFinite(a.get(i)));
            }
        } else if (n.isNumber() && !Double.isFinite(n.doubleValue())) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        return n;
    }
}
