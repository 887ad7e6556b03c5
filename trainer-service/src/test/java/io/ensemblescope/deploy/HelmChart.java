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
final class HelmChart {

    static final String RELEASE = "ensemblescope";
    static final String NAMESPACE = "ensemblescope";

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

    static Path repoRoot() {
        String root = System.getProperty("escope.repo.root");
        Path path = root == null ? Path.of("").toAbsolutePath().getParent() : Path.of(root);
        if (!Files.isDirectory(path.resolve("helm/ensemblescope"))) {
            throw new IllegalStateException("no helm/ensemblescope under escope.repo.root=" + path);
        }
        return path;
    }

    static Path chartDir() {
        return repoRoot().resolve("helm/ensemblescope");
    }

    /** The rendered manifest for a variant of {@link #VARIANTS}, as {@code helm template} prints it. */
    static String render(String variant) {
        return render(variant, Map.of());
    }

    /** As {@link #render(String)} with {@code --set key=value} for each entry. */
    static String render(String variant, Map<String, Object> sets) {
        var template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
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

    /**
     * {@code helm lint --strict} of the chart with a variant's values. helm-java's lint takes no values file, so the
     * chart is copied and its values.yaml replaced by the defaults deep-merged with the overlay, as helm merges them.
     */
    static LintResult lint(String variant, Path scratch) throws IOException {
        String overlay = VARIANTS.get(variant);
        Path chart = chartDir();
        if (!overlay.isEmpty()) {
            chart = scratch.resolve("ensemblescope");
            copyTree(chartDir(), chart);
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
    static List<Object> parse(String manifest) {
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

    static <T> List<T> ofType(List<Object> objects, Class<T> type) {
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

    private static void copyTree(Path from, Path to) throws IOException {
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
