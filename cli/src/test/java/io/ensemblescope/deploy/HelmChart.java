package io.ensemblescope.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart at helm/ensemblescope, linted and rendered in-process by helm-java (no helm binary). */
public final class HelmChart {

    public static final String RELEASE = "ensemblescope";
    public static final String NAMESPACE = "ensemblescope";

    /** The values variants that k8s/ ships rendered: name → overlay file (null for the defaults). */
    static final Map<String, String> VARIANTS = Map.of("cpu", "", "gpu", "values-gpu.yaml");

    /**
     * What k8s/ is rendered with besides a variant: the token Secret named instead of generated, since plain manifests
     * must not carry tokens (a fresh render would also differ every time). docs/KUBERNETES.md shows how to create it.
     */
    static final Map<String, Object> PLAIN_MANIFEST_SETS = Map.of("auth.existingSecret", RELEASE + "-auth");

    /** Kept referenced (JUL holds loggers weakly): snakeyaml warns about every unmapped CRD-schema field. */
    private static final java.util.logging.Logger SNAKEYAML_LOG = java.util.logging.Logger.getLogger("org.yaml.snakeyaml");

    static {
        SNAKEYAML_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private HelmChart() {}

    public static Path repoRoot() {
        String root = System.getProperty("escope.repo.root");
        Path path = root == null ? Path.of("").toAbsolutePath().getParent() : Path.of(root);
        if (!Files.isDirectory(path.resolve("helm/ensemblescope"))) {
            throw new IllegalStateException("no helm/ensemblescope under escope.repo.root=" + path);
        }
        return path;
    }

    public static Path chartDir() {
        return repoRoot().resolve("helm/ensemblescope");
    }

    /** The rendered manifest for a variant of {@link #VARIANTS}, as {@code helm template} prints it. */
    public static String render(String variant) {
        return render(variant, Map.of());
    }

    /** As {@link #render(String)} with {@code --set key=value} for each entry. */
    public static String render(String variant, Map<String, Object> sets) {
        return render(renderable(false), variant, sets);
    }

    /**
     * As {@link #render(String, Map)} plus the {@code helm test} pods. helm-java renders no hooks (as
     * {@code helm template --skip-tests}), so this renders a copy whose test templates lack the hook annotations.
     */
    public static String renderWithTests(String variant, Map<String, Object> sets) {
        return render(renderable(true), variant, sets);
    }

    private static String render(Path chart, String variant, Map<String, Object> sets) {
        var template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (var set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String overlay = VARIANTS.get(variant);
        if (overlay == null) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        if (!overlay.isEmpty()) {
            template = template.withValuesFile(chartDir().resolve(overlay));
        }
        return template.call();
    }

    private static final Map<Boolean, Path> RENDERABLE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The chart as {@code helm template --kube-version 1.24} sees it. helm-java's template takes no kube version and
     * renders for Kubernetes v1.20, which the chart's {@code kubeVersion: ">=1.24.0-0"} (gRPC probes) refuses; so it
     * renders a copy whose Chart.yaml lacks that one line (HelmChartTest checks the line itself). With
     * {@code withTests}, the copy's test pods lose their {@code helm.sh/hook} annotations, so they render too.
     */
    public static Path renderable(boolean withTests) {
        return RENDERABLE.computeIfAbsent(withTests, tests -> {
            try {
                Path copy = Files.createTempDirectory("escope-chart").resolve("ensemblescope");
                copyTree(chartDir(), copy);
                Path chartYaml = copy.resolve("Chart.yaml");
                Files.writeString(chartYaml, Files.readString(chartYaml).replaceAll("(?m)^kubeVersion:.*\\R", ""));
                if (tests) {
                    try (Stream<Path> files = Files.list(copy.resolve("templates/tests"))) {
                        for (Path f : files.toList()) {
                            Files.writeString(f, Files.readString(f).replaceAll("(?m)^\\s*helm\\.sh/hook.*\\R", ""));
                        }
                    }
                }
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * {@code helm lint --strict} of the chart with a variant's values. helm-java's lint takes no values file, so the
     * chart is copied and its values.yaml replaced by the defaults deep-merged with the overlay, as helm merges them.
     */
    public static LintResult lint(String variant, Path scratch) throws IOException {
        String overlay = VARIANTS.get(variant);
        Path chart = renderable(false);
        if (!overlay.isEmpty()) {
            Path copy = scratch.resolve("ensemblescope");
            copyTree(chart, copy);
            chart = copy;
            Map<String, Object> values = loadMap(chartDir().resolve("values.yaml"));
            deepMerge(values, loadMap(chartDir().resolve(overlay)));
            Files.writeString(chart.resolve("values.yaml"), Yaml.dump(values));
        }
        return new Helm(chart).lint().strict().call();
    }

    /**
     * The documents of a rendered manifest, parsed by the Kubernetes client's YAML loader into its typed models;
     * kinds the client has no model for (the ServiceMonitor and Certificate custom resources) stay generic maps.
     */
    public static List<Object> parse(String manifest) {
        List<Object> objects = new ArrayList<>();
        for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(manifest)) {
            if (!(doc instanceof Map<?, ?> map)) {
                continue;
            }
            if ("monitoring.coreos.com/v1".equals(map.get("apiVersion"))
                    || "cert-manager.io/v1".equals(map.get("apiVersion"))) {
                objects.add(map);
                continue;
            }
            try {
                objects.add(Yaml.load(Yaml.dump(doc)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + map.get("kind"), e);
            }
        }
        return objects;
    }

    public static <T> List<T> ofType(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadMap(Path file) throws IOException {
        Object loaded = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        return loaded == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) loaded);
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> over && base.get(key) instanceof Map<?, ?> under) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) under);
                deepMerge(merged, (Map<String, Object>) over);
                base.put(key, merged);
            } else {
                base.put(key, value);
            }
        });
    }

    /** Copies a directory tree (files and directories) to {@code to}. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
