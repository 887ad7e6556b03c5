package io.ensemblescope.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's uncertainty alerts: off by default; when on, the rendered PrometheusRule passes {@code promtool check
 * rules} and its alerts fire — and only fire — on the series the inference service exports, in promtool's own rule
 * unit tests.
 */
class PrometheusRulesTest {
    @TempDir
    Path dir;

    private static List<Map<?, ?>> rules(String manifest) {
        return HelmChart.parse(manifest).stream().filter(o -> o instanceof Map<?, ?> m
                && "PrometheusRule".equals(m.get("kind"))).<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
    }

    @Test
    void offByDefault() {
        assertEquals(List.of(), rules(HelmChart.render("cpu")));
        assertEquals(List.of(), rules(HelmChart.render("gpu")));
    }

    @Test
    void renderedRulesPassPromtoolAndFireOnDriftAndCalibration() throws Exception {
        List<Map<?, ?>> found = rules(HelmChart.render("cpu", Map.of("prometheus.rules.enabled", true)));
        assertEquals(1, found.size());
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, new org.yaml.snakeyaml.Yaml().dump(found.get(0).get("spec")));
        Assumptions.assumeTrue(Promtool.available(), "promtool is not installed (apt-get install prometheus)");
        promtool("check", "rules", rules.toString());

        Path tests = dir.resolve("tests.yml");
        Files.writeString(tests, String.join("\n",
                "rule_files: [rules.yml]",
                "evaluation_interval: 1m",
                "tests:",
                "  - interval: 1m",
                "    input_series:",
                // Two replicas; one sees drift after 15 minutes.
                "      - series: 'inference_drift_psi{namespace=\"ns\",pod=\"a\",model=\"be\",method=\"BATCH_ENSEMBLE\",statistic=\"predictive_entropy\"}'",
                "        values: '0.02x15 0.9x30'",
                "      - series: 'inference_drift_psi{namespace=\"ns\",pod=\"b\",model=\"be\",method=\"BATCH_ENSEMBLE\",statistic=\"predictive_entropy\"}'",
                "        values: '0.03x45'",
                "      - series: 'inference_drift_ks{namespace=\"ns\",pod=\"a\",model=\"be\",method=\"BATCH_ENSEMBLE\",statistic=\"disagreement\"}'",
                "        values: '0.05x45'",
                // Calibration: bad ECE on a window too small to trust, then on a full one.
                "      - series: 'inference_outcomes_ece{namespace=\"ns\",pod=\"a\",model=\"be\",method=\"BATCH_ENSEMBLE\"}'",
                "        values: '0.2x45'",
                "      - series: 'inference_outcomes_accuracy{namespace=\"ns\",pod=\"a\",model=\"be\",method=\"BATCH_ENSEMBLE\"}'",
                "        values: '0.97x45'",
                "      - series: 'inference_outcomes_window_samples{namespace=\"ns\",pod=\"a\",model=\"be\",method=\"BATCH_ENSEMBLE\"}'",
                "        values: '200x15 5000x30'",
                "    alert_rule_test:",
                "      - eval_time: 14m",
                "        alertname: EnsembleScopeInputDriftPSI",
                "        exp_alerts: []",
                "      - eval_time: 40m",
                "        alertname: EnsembleScopeInputDriftPSI",
                "        exp_alerts:",
                "          - exp_labels: {severity: warning, namespace: ns, model: be, statistic: predictive_entropy}",
                "            exp_annotations:",
                "              summary: 'be: served predictive_entropy drifted from the reference profile (PSI 0.90)'",
                "              description: 'The population stability index of the served samples in the drift window"
                        + " against the checkpoint''s reference profile is above 0.25: inputs no longer look like the"
                        + " in-distribution evaluation data.'",
                "      - eval_time: 40m",
                "        alertname: EnsembleScopeInputDriftKS",
                "        exp_alerts: []",
                "      - eval_time: 14m",
                "        alertname: EnsembleScopeCalibrationDegraded",
                "        exp_alerts: []",
                "      - eval_time: 40m",
                "        alertname: EnsembleScopeCalibrationDegraded",
                "        exp_alerts:",
                "          - exp_labels: {severity: warning, namespace: ns, model: be}",
                "            exp_annotations:",
                "              summary: 'be: expected calibration error of the labeled window is 0.20'",
                "              description: 'ECE (15 bins) over the outcomes reported through ReportOutcomes is above"
                        + " 0.05: served confidences no longer match accuracy.'",
                "      - eval_time: 40m",
                "        alertname: EnsembleScopeAccuracyDropped",
                "        exp_alerts: []",
                ""));
        promtool("test", "rules", tests.toString());
    }

    private void promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
    }
}
