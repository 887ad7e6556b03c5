package io.ensemblescope.deploy.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.cli.CostSection;
import io.ensemblescope.datasets.catalog.StandardDatasets;
import io.ensemblescope.deploy.HelmChart;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cluster rehearsal: the chart rendered with helm-java, every pod it declares started as its container would
 * start (see {@link PodProcess}: exact command, args, env and envFrom; cwd {@code /}; no HOME; its uid when run as
 * root; only the mountPath and Service-address rewrites), waited for by its own probes, then
 * {@code escope reproduce --quick} run as the chart's client pod against the Services, while the trainer's
 * Kubernetes executor creates member Jobs on a fake API server and {@link JobKubelet} runs them from their own pod
 * specs. The image lives in a private registry (pods must list its pull Secret). The GPU values' release is
 * {@link GpuValuesRehearsalIT}, run beside this one in the other surefire fork.
 */
class ClusterRehearsalIT {
    static final String NS = HelmChart.NAMESPACE;
    private static final String CLAIM = "ensemblescope-data";
    static final String REGISTRY_SECRET = "regcred";
    static final int FS_GROUP = 65532;

    @Test
    void theDefaultReleaseServesAndRunsTheQuickStudyWithMemberJobs() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        List<Object> objects = release("cpu");
        Path root = fresh("cpu");
        Map<String, Double> ready;
        try (Rehearsal r = Rehearsal.of(root, objects, Image.of(cliDir(), root), NS, "ensemblescope-trainer", FS_GROUP)) {
            r.cluster.privateRegistry(REGISTRY_SECRET);
            r.seed(CLAIM, "datasets", StandardDatasets.MNIST_SPEC, StandardDatasets.FASHION_MNIST_SPEC);
            List<V1Deployment> deployments = HelmChart.ofType(objects, V1Deployment.class);
            r.createInApiServer(deployments);
            r.startDeployments(deployments);
            ready = r.awaitReady(deployments);
            assertEquals(Set.of("ensemblescope-trainer-0", "ensemblescope-inference-0", "ensemblescope-inference-1",
                    "ensemblescope-metrics-0"), ready.keySet(), "every replica of every Deployment is ready");

            V1Pod clientPod = HelmChart.ofType(objects, V1Pod.class).get(0);
            PodProcess client = r.run(clientPod);
            int exit = -1;
            for (int waited = 0; exit < 0 && waited < 900; waited += 5) {
                exit = client.await(5);
                // A member pod that cannot start (image pull, environment) would leave its Job Pending forever.
                assertEquals(List.of(), r.kubelet.errors(), "member pods that could not start");
            }
            assertEquals(0, exit, () -> "escope reproduce --quick as a client pod failed\n" + client.logTail(30)
                    + "\nkubelet: " + r.kubelet.errors() + "\ntrainer:\n" + pod(r, "ensemblescope-trainer-0").logTail(30));

            assertDashboardAndDocsReadWhatTheServicesExport(r, deployments);

            Path data = r.cluster.claim(CLAIM);
            Path report = data.resolve("reports").resolve(HelmChart.RELEASE + "-test").resolve("report.md");
            assertTrue(Files.isRegularFile(report), "the report is written to the shared volume: " + report);
            assertTrue(Files.readString(report).contains("BatchEnsemble"), "a study report");
            // Measured by the client pod against the inference Service, so without the in-process memory probe.
            CostSection.assertMeasured(report.getParent(), false);
            List<Path> manifests = manifests(data.resolve("checkpoints"));
            assertEquals(4, manifests.size(), "one checkpoint per method on the shared volume: " + manifests);

            // Members ran as Jobs, from their own pod specs, and are gone.
            Set<String> jobs = r.kubelet.jobsSeen();
            assertTrue(jobs.size() >= 7, "single, MC Dropout, 4 Deep-Ensemble members, BatchEnsemble: " + jobs);
            assertEquals(List.of(), r.kubelet.errors(), "every member pod started (image pulled, env complete)");
            assertEquals(0, r.kubelet.runningCount());
            assertTrue(r.kube.batch().v1().jobs().inNamespace(NS).list().getItems().isEmpty(), "member Jobs deleted");
            for (PodProcess member : r.kubelet.pods()) {
                assertFalse(member.volumes.containsKey(Cluster.SERVICE_ACCOUNT_VOLUME), member.name + " gets no token");
            }
            for (PodProcess pod : r.pods) {
                assertEquals(pod.name.startsWith("ensemblescope-trainer"),
                        pod.volumes.containsKey(Cluster.SERVICE_ACCOUNT_VOLUME), pod.name + ": only the trainer's token");
            }

            // The trainer called exactly what its Role grants.
            Map<String, Set<String>> used = ApiCalls.verbs(r.trainerCalls(), NS);
            Map<String, Set<String>> granted = granted(objects);
            used.forEach((resource, verbs) -> assertTrue(granted.getOrDefault(resource, Set.of()).containsAll(verbs),
                    resource + " " + verbs + " beyond the Role " + granted));
            Map<String, Set<String>> unused = new TreeMap<>(granted);
            used.forEach((resource, verbs) -> unused.computeIfPresent(resource, (k, v) -> {
                Set<String> rest = new TreeSet<>(v);
                rest.removeAll(verbs);
                return rest.isEmpty() ? null : rest;
            }));
            // Read only for a failed member's log and for why a member stays Pending past its limit.
            assertEquals(Map.of("/pods/log", Set.of("get"), "/events", Set.of("list")), unused,
                    "the Role grants nothing the trainer never calls");
            assertTrue(r.kubelet.jobsSeen().stream().allMatch(r::ownedByTheTrainer),
                    "member Jobs are owned by the trainer's Deployment (helm uninstall deletes them)");

            // Every pod's /tmp stayed within its emptyDir sizeLimit.
            List<PodProcess> all = new ArrayList<>(r.pods);
            all.addAll(r.kubelet.pods());
            for (PodProcess pod : all) {
                Path tmp = pod.volumes.get("tmp");
                long bytes = size(tmp);
                assertTrue(bytes < new Quantity("1Gi").getNumber().longValue(), pod.name + " /tmp " + bytes + " bytes");
            }
            System.out.printf(Locale.ROOT, "rehearsal: ready after %s s; %d member Jobs; %.0f s in all%s%n", ready,
                    jobs.size(), (Instant.now().toEpochMilli() - start.toEpochMilli()) / 1e3,
                    GrpcProbe.SLOWDOWN == 1 ? "" : " (startup probes stretched x" + GrpcProbe.SLOWDOWN + ")");
        }
        assertNothingWrittenOutsideVolumes(start);
        deleteQuietly(root);
    }

    /**
     * After the study's traffic, the three services' scrapes hold every metric, label and label value the Grafana
     * dashboard and docs/KUBERNETES.md's metric table name.
     */
    private static void assertDashboardAndDocsReadWhatTheServicesExport(Rehearsal r, List<V1Deployment> deployments)
            throws Exception {
        MetricContract scraped = new MetricContract();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (PodProcess pod : r.pods) {
            var metricsPort = pod.container.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst();
            if (metricsPort.isEmpty()) {
                continue;
            }
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + pod.hostPort(metricsPort.get().getContainerPort()) + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), pod.name);
            scraped.add(response.body());
        }
        List<String> problems = new ArrayList<>();
        Path repo = HelmChart.repoRoot();
        for (String query : MetricContract.dashboardQueries(HelmChart.chartDir().resolve("dashboards/ensemblescope.json"))) {
            problems.addAll(scraped.check(query));
        }
        for (String metric : MetricContract.documentedMetrics(repo.resolve("docs/KUBERNETES.md"), "## Monitoring")) {
            if (!scraped.has(metric)) {
                problems.add("docs/KUBERNETES.md lists " + metric + ", which no service exports");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The release as rendered for {@code variant}, with the private registry's pull Secret the operator adds. */
    static List<Object> release(String variant) {
        List<Object> objects = new ArrayList<>(HelmChart.parse(HelmChart.renderWithTests(variant,
                Map.of("imagePullSecrets[0].name", REGISTRY_SECRET))));
        objects.add(new V1Secret().metadata(new V1ObjectMeta().name(REGISTRY_SECRET)).type("kubernetes.io/dockerconfigjson")
                .stringData(Map.of(".dockerconfigjson", "{\"auths\":{}}")));
        return objects;
    }

    private static Map<String, Set<String>> granted(List<Object> objects) {
        Map<String, Set<String>> granted = new TreeMap<>();
        for (V1Role role : HelmChart.ofType(objects, V1Role.class)) {
            for (V1PolicyRule rule : role.getRules()) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                    }
                }
            }
        }
        return granted;
    }

    /**
     * A pod runs as uid 65532 (when the rehearsal is root): it can write only to its volumes (under the rehearsal's
     * directory) and to world-writable places, which must hold nothing of it. A uid without a home also must not have
     * created {@code /?} (what {@code user.home} = "?" resolves to from cwd {@code /}).
     */
    static void assertNothingWrittenOutsideVolumes(Instant since) throws IOException {
        assertFalse(Files.exists(Path.of("/?")), "something resolved a path under the missing home");
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        List<Path> strays = new ArrayList<>();
        for (String dir : List.of("/tmp", "/var/tmp", "/dev/shm")) {
            try (Stream<Path> paths = Files.walk(Path.of(dir), 3)) {
                paths.filter(p -> ownedBy(p, FS_GROUP) && modifiedAfter(p, since) && !Workspace.isTemporaryWorkspace(p))
                        .forEach(strays::add);
            } catch (java.io.UncheckedIOException | IOException e) {
                // another process removed a file during the walk
            }
        }
        assertEquals(List.of(), strays, "written outside the pods' volumes");
    }

    private static boolean ownedBy(Path p, int uid) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)) == uid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean modifiedAfter(Path p, Instant since) {
        try {
            return Files.getLastModifiedTime(p).compareTo(FileTime.from(since)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static PodProcess pod(Rehearsal r, String name) {
        return r.pods.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    private static List<Path> manifests(Path checkpoints) throws IOException {
        try (Stream<Path> paths = Files.walk(checkpoints, 3)) {
            return paths.filter(p -> p.getFileName().toString().equals("manifest.json"))
                    .filter(p -> !checkpoints.relativize(p).toString().startsWith(".")).toList();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static Path cliDir() {
        return HelmChart.repoRoot().resolve("cli");
    }

    static Path fresh(String variant) throws IOException {
        return Workspace.fresh(cliDir(), variant);
    }

    static void deleteQuietly(Path root) throws IOException {
        Workspace.delete(root);
    }
}
