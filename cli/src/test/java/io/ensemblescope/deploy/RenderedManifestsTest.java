package io.ensemblescope.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/ensemblescope-{cpu,gpu}.yaml are the chart rendered for users who apply plain manifests; they must not drift
 * from the chart. Regenerate after a chart change with
 * {@code mvn -B -q -pl cli -am test -Dtest=RenderedManifestsTest -Dsurefire.failIfNoSpecifiedTests=false -Dk8s.regenerate=true}.
 */
class RenderedManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void plainManifestsEqualAFreshRender(String variant) throws Exception {
        Path file = HelmChart.repoRoot().resolve("k8s").resolve("ensemblescope-" + variant + ".yaml");
        String fresh = header(variant) + HelmChart.render(variant, HelmChart.PLAIN_MANIFEST_SETS);
        if (Boolean.getBoolean("k8s.regenerate")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, fresh);
        }
        assertEquals(fresh, Files.exists(file) ? Files.readString(file) : "",
                file + " drifted from helm/ensemblescope; regenerate it with -Dk8s.regenerate=true (see this test)");
    }

    private static String header(String variant) {
        String values = HelmChart.VARIANTS.get(variant).isEmpty() ? "" : " -f helm/ensemblescope/" + HelmChart.VARIANTS.get(variant);
        StringBuilder sets = new StringBuilder();
        new java.util.TreeMap<>(HelmChart.PLAIN_MANIFEST_SETS).forEach((k, v) -> sets.append(" --set ").append(k)
                .append('=').append(v));
        return "# Generated from helm/ensemblescope — do not edit; RenderedManifestsTest fails when this drifts.\n"
                + "# Equivalent: helm template " + HelmChart.RELEASE + " helm/ensemblescope --namespace "
                + HelmChart.NAMESPACE + values + sets + "\n"
                + "# Create the Secret " + HelmChart.PLAIN_MANIFEST_SETS.get("auth.existingSecret")
                + " with the services' tokens first (docs/KUBERNETES.md, \"Authentication and TLS\").\n";
    }
}
