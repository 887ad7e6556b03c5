package io.ensemblescope.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One name per environment variable, listed in one table (docs/KUBERNETES.md, "Environment"): every {@code ESCOPE_*}
 * variable the chart sets or the main code names is in the table, and the table names no variable that neither does
 * (the chart once set ESCOPE_DATA_DIR, which nothing read).
 */
class EnvironmentTableTest {
    private static final Pattern NAME = Pattern.compile("ESCOPE_[A-Z0-9_]*[A-Z0-9]");

    @Test
    void everyVariableTheChartSetsOrTheCodeNamesIsInTheTableAndNoOther() throws IOException {
        Set<String> table = table();
        Set<String> chart = new TreeSet<>();
        for (String variant : List.of("cpu", "gpu")) {
            List<Object> objects = HelmChart.parse(HelmChart.renderWithTests(variant, Map.of()));
            HelmChart.ofType(objects, V1ConfigMap.class).stream().filter(c -> c.getData() != null)
                    .filter(c -> c.getMetadata().getName().equals(HelmChart.RELEASE))
                    .forEach(c -> chart.addAll(c.getData().keySet()));
            List<V1Container> containers = new ArrayList<>();
            HelmChart.ofType(objects, V1Deployment.class)
                    .forEach(d -> containers.addAll(d.getSpec().getTemplate().getSpec().getContainers()));
            HelmChart.ofType(objects, V1Pod.class).forEach(p -> containers.addAll(p.getSpec().getContainers()));
            containers.stream().filter(c -> c.getEnv() != null).forEach(c -> c.getEnv().forEach(e -> chart.add(e.getName())));
        }
        chart.removeIf(name -> !name.startsWith("ESCOPE_") && !table.contains(name));
        Set<String> code = codeNames();

        Set<String> missing = new TreeSet<>(chart);
        missing.addAll(code);
        missing.removeAll(table);
        assertEquals(Set.of(), missing, "set or read but not in docs/KUBERNETES.md's table");

        Set<String> stale = new TreeSet<>(table);
        stale.removeIf(name -> !name.startsWith("ESCOPE_") || code.contains(name) || chart.contains(name));
        stale.remove("ESCOPE_JAVA_OPTS"); // read by the ./escope launcher script, not Java code
        assertEquals(Set.of(), stale, "in the table but neither set by the chart nor named by the code");
    }

    /** Every variable named in the first column of the "Environment" table. */
    private static Set<String> table() throws IOException {
        String doc = Files.readString(HelmChart.repoRoot().resolve("docs/KUBERNETES.md"));
        String section = doc.substring(doc.indexOf("## Environment"));
        section = section.substring(0, section.indexOf("\n## ", 3) < 0 ? section.length() : section.indexOf("\n## ", 3));
        Set<String> names = new TreeSet<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(line.split("\\|")[1]);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** {@code "ESCOPE_…"} string literals in every module's main sources. */
    private static Set<String> codeNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(" + NAME.pattern() + ")\"");
        try (Stream<Path> files = Files.walk(HelmChart.repoRoot())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                    .toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
