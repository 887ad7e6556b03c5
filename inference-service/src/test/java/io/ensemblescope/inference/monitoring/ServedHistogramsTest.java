package io.ensemblescope.inference.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.inference.ServerHarness;
import io.ensemblescope.inference.TinyCheckpoints;
import io.ensemblescope.metrics.math.SampleStatistics;
import io.ensemblescope.rpc.PrometheusText;
import io.ensemblescope.testing.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The uncertainty histograms a real server exports hold exactly metrics-math's per-sample values of the member
 * probabilities it answered with, bucket by bucket, for every method.
 */
class ServedHistogramsTest {
    private static final String[] MODELS = {TinyCheckpoints.SINGLE, TinyCheckpoints.MC, TinyCheckpoints.DE,
        TinyCheckpoints.BE};

    @Test
    void histogramsHoldTheLibrarysPerSampleValuesOfTheServedProbabilities() throws Exception {
        String text;
        Map<String, Map<ServedStatistic, List<Double>>> expected = new java.util.HashMap<>();
        try (ServerHarness server = ServerHarness.cpuDefaults()) {
            for (String model : MODELS) {
                Map<ServedStatistic, List<Double>> values = new EnumMap<>(ServedStatistic.class);
                for (ServedStatistic s : ServedStatistic.values()) {
                    values.put(s, new ArrayList<>());
                }
                int from = 0;
                for (int b : new int[] {1, 3, 7, 16, 2}) {
                    PredictResponse r = server.blocking.predict(ServerHarness.pixels(model, from, b));
                    from += b;
                    var p = r.getMemberProbabilities();
                    SampleStatistics st = SampleStatistics.of(ImageTraffic.memberProbabilities(r), p.getMembers(),
                            p.getBatch(), p.getClasses());
                    for (ServedStatistic s : ServedStatistic.values()) {
                        for (int j = 0; j < st.size(); j++) {
                            values.get(s).add(s.of(st, j));
                        }
                    }
                }
                expected.put(model, values);
            }
            text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.metricsUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        PrometheusText scrape = PrometheusText.parse(text);
        for (String model : MODELS) {
            for (ServedStatistic s : ServedStatistic.values()) {
                List<Double> values = expected.get(model).get(s);
                String name = s.meterName().replace('.', '_') + "_" + s.unit();
                List<PrometheusText.Sample> buckets = scrape.find(name + "_bucket", "model", model);
                assertEquals(s.bins(), buckets.size(), name + " buckets of " + model);
                for (PrometheusText.Sample bucket : buckets) {
                    double le = bucket.label("le").equals("+Inf") ? Double.POSITIVE_INFINITY
                            : Double.parseDouble(bucket.label("le"));
                    long below = values.stream().filter(v -> v <= le).count();
                    assertEquals(below, bucket.value(), name + " le=" + le + " of " + model);
                }
                assertEquals(values.size(), scrape.value(name + "_count", "model", model).orElseThrow());
                double sum = values.stream().mapToDouble(Double::doubleValue).sum();
                assertEquals(sum, scrape.value(name + "_sum", "model", model).orElseThrow(), 1e-9 * (1 + sum));
            }
        }
        // One member: disagreement and mutual information are 0 on every sample.
        assertEquals(29.0, scrape.find("inference_uncertainty_disagreement_ratio_bucket", "model",
                TinyCheckpoints.SINGLE).stream().filter(b -> b.label("le").startsWith("0.0")).findFirst()
                .orElseThrow().value());
        assertTrue(scrape.value("inference_uncertainty_max_probability_ratio_count", "method", "DEEP_ENSEMBLE")
                .isPresent(), "method label");
        if (Promtool.available()) {
            Promtool.assertValid(text);
        }
    }
}
