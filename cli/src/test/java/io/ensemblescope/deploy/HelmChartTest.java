package io.ensemblescope.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;
import io.ensemblescope.rpc.security.BearerTokens;
import io.ensemblescope.rpc.security.Caller;
import io.ensemblescope.rpc.security.Role;
import io.ensemblescope.trainer.TrainerServer;
import io.ensemblescope.trainer.executor.kubernetes.KubernetesExecutorConfig;
import io.ensemblescope.trainer.executor.kubernetes.KubernetesExecutorEnvironment;
import io.ensemblescope.trainer.executor.kubernetes.MemberPod;
import io.ensemblescope.datasets.DatasetFetcher;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** helm lint and helm template of the chart with default (CPU) and GPU values, checked object by object. */
class HelmChartTest {

    private static final Map<String, Integer> GRPC_PORTS = Map.of("trainer", 50051, "inference", 50052, "metrics", 50053);
    private static final Map<String, Integer> METRICS_PORTS = Map.of("trainer", 9101, "inference", 9102, "metrics", 9103);
    private static final Map<String, Integer> HEALTH_PORTS = Map.of("trainer", 9111, "inference", 9112, "metrics", 9113);

    @TempDir
    Path scratch;

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void lintsCleanly(String variant) throws Exception {
        LintResult result = HelmChart.lint(variant, scratch);
        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void requestsGpusExactlyWhenEnabled(String variant) {
        List<Object> objects = HelmChart.parse(HelmChart.render(variant));
        boolean gpu = variant.equals("gpu");
        for (V1Deployment d : HelmChart.ofType(objects, V1Deployment.class)) {
            String component = component(d);
            Quantity gpus = limits(container(d)).get("nvidia.com/gpu");
            var pod = d.getSpec().getTemplate().getSpec();
            if (gpu && component.equals("inference")) {
                assertEquals(new Quantity("1"), gpus, component);
                assertEquals("nvidia", pod.getRuntimeClassName());
                assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
                assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
                assertEquals("ghcr.io/ensemblescope/escope:0.1.0-gpu", container(d).getImage());
            } else {
                assertNull(gpus, component + " must not request GPUs in " + variant);
                assertNull(pod.getRuntimeClassName(), component);
                // Trainer and metrics never touch a GPU: the CPU image, even with GPU values.
                assertEquals("ghcr.io/ensemblescope/escope:0.1.0", container(d).getImage(), component);
            }
        }
        // Training members get GPUs through the Job executor's configuration.
        KubernetesExecutorConfig executor = executorConfig(objects);
        assertEquals(gpu ? 1 : 0, executor.gpus());
        assertEquals(gpu ? "nvidia" : null, executor.runtimeClassName());
        assertEquals(gpu ? 1 : 0, executor.tolerations().size());
        assertEquals(gpu ? Map.of("nvidia.com/gpu.present", "true") : Map.of(), executor.nodeSelector());
        assertEquals(gpu, executor.image().endsWith("-gpu"), executor.image());
        assertEquals("ensemblescope-data", executor.pvcName());
        assertEquals(Path.of("/data"), executor.mountPath());
        assertEquals(gpu, !HelmChart.render(variant).lines().filter(l -> l.contains("nvidia.com/gpu:")).toList().isEmpty());
    }

    @Test
    void theGpuResourceNameAndImageDigestsAreConfigurable() {
        String digest = "sha256:" + "ab".repeat(32);
        String gpuDigest = "sha256:" + "cd".repeat(32);
        List<Object> objects = HelmChart.parse(HelmChart.render("gpu", Map.of("gpu.resourceName",
                "nvidia.com/mig-1g.10gb", "image.digest", digest, "gpu.imageDigest", gpuDigest)));
        for (V1Deployment d : HelmChart.ofType(objects, V1Deployment.class)) {
            boolean inference = component(d).equals("inference");
            assertEquals(inference ? new Quantity("1") : null, limits(container(d)).get("nvidia.com/mig-1g.10gb"));
            assertNull(limits(container(d)).get("nvidia.com/gpu"));
            assertEquals("ghcr.io/ensemblescope/escope@" + (inference ? gpuDigest : digest), container(d).getImage());
        }
        KubernetesExecutorConfig executor = executorConfig(objects);
        assertEquals("nvidia.com/mig-1g.10gb", executor.memberPod().gpuResource());
        assertEquals("ghcr.io/ensemblescope/escope@" + gpuDigest, executor.image());
    }

    @Test
    void memberJobsGetTheReleaseEnvironmentPullSecretsAndATokenlessAccount() {
        List<Object> objects = HelmChart.parse(HelmChart.render("cpu",
                Map.of("imagePullSecrets[0].name", "regcred", "imagePullSecrets[1].name", "mirror")));
        MemberPod pod = executorConfig(objects).memberPod();
        assertEquals(HelmChart.RELEASE, pod.environmentConfigMap(), "members get the release's ConfigMap");
        assertEquals(List.of("regcred", "mirror"), pod.imagePullSecrets());
        V1ServiceAccount account = HelmChart.ofType(objects, V1ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().equals(pod.serviceAccountName())).findFirst().orElseThrow();
        assertFalse(account.getAutomountServiceAccountToken());
        // The data cache the members read is the one the services read: one name, ESCOPE_DATA.
        assertEquals("/data/datasets", configMap(objects).getData().get(DatasetFetcher.CACHE_ENV));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyServiceHasGrpcProbesPortsAndAHardenedSandbox(String variant) {
        List<Object> objects = HelmChart.parse(HelmChart.render(variant));
        List<V1Deployment> deployments = HelmChart.ofType(objects, V1Deployment.class);
        assertEquals(Set.of("trainer", "inference", "metrics"),
                new TreeSet<>(deployments.stream().map(HelmChartTest::component).toList()));
        for (V1Deployment d : deployments) {
            String component = component(d);
            V1Container c = container(d);
            int port = GRPC_PORTS.get(component);
            // kubelet's gRPC probes send no token: they ask the plaintext probe port, which answers only health.
            int health = HEALTH_PORTS.get(component);
            assertEquals(health, c.getStartupProbe().getGrpc().getPort(), component);
            assertEquals(health, c.getReadinessProbe().getGrpc().getPort(), component);
            assertEquals(health, c.getLivenessProbe().getGrpc().getPort(), component);
            assertEquals(List.of(port, METRICS_PORTS.get(component), health),
                    c.getPorts().stream().map(p -> p.getContainerPort()).toList(), component);
            assertEquals(List.of("serve", component, "--port", Integer.toString(port), "--metrics-port",
                    Integer.toString(METRICS_PORTS.get(component))), c.getArgs().subList(0, 6));
            // Every service reads the one store on the shared claim (the member Jobs mount it at the same path).
            assertEquals(List.of("--store", "/data/checkpoints"), c.getArgs().subList(6, 8), component);
            if (component.equals("metrics")) {
                // RunEvaluation dials every inference pod in turn through the headless Service (round_robin).
                assertEquals(List.of("--inference-target", "dns:///ensemblescope-inference-headless:50052"),
                        c.getArgs().subList(8, 10));
            }
            if (component.equals("trainer")) {
                // The trainer's wait for its jobs fits in the pod's grace period, with room for the gRPC drain.
                long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
                assertEquals(List.of("--shutdown-wait", Long.toString(grace - 10)), c.getArgs().subList(8, 10));
            }
            var tmp = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
            assertEquals(new Quantity("1Gi"), tmp.getEmptyDir().getSizeLimit(), "natives (432 MB) + JVM temp");
            var podSecurity = d.getSpec().getTemplate().getSpec().getSecurityContext();
            assertTrue(podSecurity.getRunAsNonRoot(), component);
            assertTrue(podSecurity.getRunAsUser() > 0, component);
            assertTrue(c.getSecurityContext().getRunAsNonRoot(), component);
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), component);
            assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), component);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), component);
            assertEquals(String.valueOf(METRICS_PORTS.get(component)),
                    d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
        }
        for (V1Service s : HelmChart.ofType(objects, V1Service.class)) {
            String component = s.getSpec().getSelector().get("app.kubernetes.io/component");
            Map<String, Integer> ports = new TreeMap<>();
            s.getSpec().getPorts().forEach(p -> ports.put(p.getName(), p.getPort()));
            if ("None".equals(s.getSpec().getClusterIP())) {
                assertEquals("ensemblescope-inference-headless", s.getMetadata().getName());
                assertEquals(Map.of("grpc", GRPC_PORTS.get("inference")), ports);
            } else {
                assertEquals(Map.of("grpc", GRPC_PORTS.get(component), "metrics", METRICS_PORTS.get(component)), ports);
            }
        }
        long monitors = objects.stream().filter(o -> o instanceof Map<?, ?> m && "ServiceMonitor".equals(m.get("kind")))
                .count();
        assertEquals(1, monitors);
        assertTrue(configMapNamed(objects, "ensemblescope-dashboard").getData().get("ensemblescope.json")
                .contains("histogram_quantile"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theTrainerMayManageJobsAndReadPodsInItsNamespaceAndNothingMore(String variant) {
        List<Object> objects = HelmChart.parse(HelmChart.render(variant));
        assertTrue(HelmChart.ofType(objects, V1ClusterRole.class).isEmpty(), "no ClusterRole");
        assertTrue(HelmChart.ofType(objects, V1ClusterRoleBinding.class).isEmpty(), "no ClusterRoleBinding");
        List<V1Role> roles = HelmChart.ofType(objects, V1Role.class);
        assertEquals(1, roles.size());
        Map<String, Set<String>> verbs = new HashMap<>();
        for (V1PolicyRule rule : roles.get(0).getRules()) {
            // Names are not known in advance, except the trainer's own Deployment (the owner of member Jobs).
            assertEquals(rule.getResources().equals(List.of("deployments")) ? List.of("ensemblescope-trainer") : null,
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? null : rule.getResourceNames());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    verbs.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        // Exactly the calls JobClient makes (the cluster rehearsal checks them against the API server's log).
        assertEquals(Map.of("batch/jobs", Set.of("create", "list", "delete"), "/pods", Set.of("list"),
                "/pods/log", Set.of("get"), "/events", Set.of("list"), "apps/deployments", Set.of("get")), verbs);
        V1RoleBinding binding = HelmChart.ofType(objects, V1RoleBinding.class).get(0);
        assertEquals(roles.get(0).getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("Role", binding.getRoleRef().getKind());
        String trainerAccount = HelmChart.ofType(objects, V1Deployment.class).stream()
                .filter(d -> component(d).equals("trainer")).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getServiceAccountName();
        assertEquals(List.of(trainerAccount), binding.getSubjects().stream().map(s -> s.getName()).toList());
        for (V1Deployment d : HelmChart.ofType(objects, V1Deployment.class)) {
            if (!component(d).equals("trainer")) {
                assertFalse(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), component(d));
                assertFalse(d.getSpec().getTemplate().getSpec().getServiceAccountName().equals(trainerAccount));
            }
        }
    }

    @Test
    void optionalAutoscalingOwnsTheInferenceReplicaCountAndScalesOnCallsInFlightThenCpu() {
        List<Object> objects = HelmChart.parse(HelmChart.render("cpu",
                Map.of("inference.autoscaling.enabled", true, "inference.autoscaling.minReplicas", 3)));
        List<V2HorizontalPodAutoscaler> hpas = HelmChart.ofType(objects, V2HorizontalPodAutoscaler.class);
        assertEquals(1, hpas.size());
        assertEquals("ensemblescope-inference", hpas.get(0).getSpec().getScaleTargetRef().getName());
        assertEquals(3, hpas.get(0).getSpec().getMinReplicas());
        var metrics = hpas.get(0).getSpec().getMetrics();
        assertEquals(List.of("Pods", "Resource"), metrics.stream().map(m -> m.getType()).toList());
        assertEquals("inference_in_flight", metrics.get(0).getPods().getMetric().getName());
        assertEquals(new Quantity("8"), metrics.get(0).getPods().getTarget().getAverageValue());
        assertEquals("cpu", metrics.get(1).getResource().getName());
        V1Deployment inference = HelmChart.ofType(objects, V1Deployment.class).stream()
                .filter(d -> component(d).equals("inference")).findFirst().orElseThrow();
        assertNull(inference.getSpec().getReplicas(), "the HPA, not the Deployment, sets the replica count");
        assertTrue(HelmChart.ofType(HelmChart.parse(HelmChart.render("cpu")), V2HorizontalPodAutoscaler.class).isEmpty());
    }

    @Test
    void networkPoliciesAdmitOnlyTheExpectedFlows() {
        List<Object> objects = HelmChart.parse(HelmChart.render("cpu"));
        Map<String, V1NetworkPolicy> policies = new TreeMap<>();
        HelmChart.ofType(objects, V1NetworkPolicy.class).forEach(p -> policies.put(p.getMetadata().getName(), p));
        assertEquals(Set.of("ensemblescope-trainer", "ensemblescope-inference", "ensemblescope-metrics",
                "ensemblescope-members"), policies.keySet());
        for (String component : GRPC_PORTS.keySet()) {
            var spec = policies.get("ensemblescope-" + component).getSpec();
            assertEquals(List.of("Ingress"), spec.getPolicyTypes());
            var grpc = spec.getIngress().get(0);
            assertEquals("grpc", grpc.getPorts().get(0).getPort().getStrValue());
            List<Map<String, String>> from = grpc.getFrom().stream().map(f -> f.getPodSelector().getMatchLabels()).toList();
            assertEquals(Map.of("ensemblescope.io/client", "true"), from.get(0), component);
            // Only inference is called by another service (metrics → inference).
            assertEquals(component.equals("inference") ? 2 : 1, from.size(), component);
            assertEquals("metrics", spec.getIngress().get(1).getPorts().get(0).getPort().getStrValue());
        }
        var members = policies.get("ensemblescope-members").getSpec();
        assertEquals(List.of("Ingress", "Egress"), members.getPolicyTypes());
        assertTrue(members.getIngress() == null || members.getIngress().isEmpty(), "members accept nothing");
        assertTrue(members.getEgress() == null || members.getEgress().isEmpty(), "and call nothing");
        // The helm test pod is a client.
        V1Pod test = HelmChart.ofType(HelmChart.parse(HelmChart.renderWithTests("cpu", Map.of())), V1Pod.class).get(0);
        assertEquals("true", test.getMetadata().getLabels().get("ensemblescope.io/client"));
    }

    @Test
    void theChartNeedsAKubernetesWithGrpcProbes() throws Exception {
        String chart = java.nio.file.Files.readString(HelmChart.chartDir().resolve("Chart.yaml"));
        assertTrue(chart.contains("kubeVersion: \">=1.24.0-0\""), chart);
    }

    @Test
    void theSchemaRejectsEachUnsafeOrMisspeltValue() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("securityContext.readOnlyRootFilesystem", false),
                Map.of("podSecurityContext.runAsNonRoot", false),
                Map.of("podSecurityContext.runAsUser", 0),
                Map.of("securityContext.capabilities.add[0]", "NET_RAW"),
                Map.of("trainer.replicas", 2),
                Map.of("grafana.dashbaord.enabled", true),
                Map.of("podDisruptionBudget.maxUnavailable", "lots"),
                Map.of("inference.resources.limits.memory", "4GB"),
                Map.of("trainer.executor.member.resources.requests.cpu", "two"),
                Map.of("tmp.sizeLimit", "1GB"),
                Map.of("gpu.count", 0),
                Map.of("gpu.resourceName", "a gpu"),
                Map.of("image.digest", "latest"),
                Map.of("imagePullSecrets[0].nam", "regcred"),
                Map.of("trainer.executor.default", "slurm"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmChart.render("cpu", bad),
                    bad::toString);
            assertTrue(e.getMessage().contains("schema"), e.getMessage());
        }
    }

    @Test
    void theSchemaAcceptsValidValuesAndTheDefaultsRender() {
        for (Map<String, Object> good : List.<Map<String, Object>>of(
                Map.of(),
                Map.of("probes.readiness.initialDelaySeconds", 0),
                Map.of("podDisruptionBudget.maxUnavailable", "25%"),
                Map.of("inference.resources.limits.memory", "4G", "inference.resources.limits.cpu", "1500m"),
                Map.of("trainer.replicas", 0),
                Map.of("storage.storageClassName", "nfs"))) {
            assertFalse(HelmChart.parse(HelmChart.render("cpu", good)).isEmpty(), good::toString);
        }
    }

    @Test
    void authIsOnByDefaultWithAGeneratedSecretWhoseTokenFileTheServicesRead() {
        List<Object> objects = HelmChart.parse(HelmChart.render("cpu"));
        V1Secret secret = HelmChart.ofType(objects, V1Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals("ensemblescope-auth")).findFirst().orElseThrow();
        assertEquals("keep", secret.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        BearerTokens tokens = BearerTokens.parse(text(secret, "tokens"));
        assertEquals(3, tokens.size());
        assertEquals(Role.ADMIN, tokens.match(text(secret, "admin-token")).orElseThrow().role());
        assertEquals(Role.PREDICT, tokens.match(text(secret, "predict-token")).orElseThrow().role());
        assertEquals(new Caller("metrics", Role.PREDICT, "token"),
                tokens.match(text(secret, "metrics-token")).orElseThrow());

        for (V1Deployment d : HelmChart.ofType(objects, V1Deployment.class)) {
            String component = component(d);
            List<String> args = container(d).getArgs();
            assertEquals("0.0.0.0", after(args, "--host"), component);
            assertEquals("/etc/escope/auth/tokens", after(args, "--auth-tokens"), component);
            assertFalse(args.contains("--insecure"), component);
            assertFalse(args.contains("--tls-cert"), "TLS is opt-in");
            assertEquals(Map.of("/etc/escope/auth", "auth"), secretMounts(d), component);
            var volume = volume(d, "auth");
            assertEquals("ensemblescope-auth", volume.getSecret().getSecretName());
            assertEquals(component.equals("metrics") ? List.of("tokens", "metrics-token") : List.of("tokens"),
                    volume.getSecret().getItems().stream().map(i -> i.getKey()).toList(), component);
            if (component.equals("metrics")) {
                assertEquals("/etc/escope/auth/metrics-token", after(args, "--inference-token-file"));
            }
        }
        // The trainer's main takes exactly these flags (its own command class parses them).
        V1Deployment trainer = HelmChart.ofType(objects, V1Deployment.class).stream()
                .filter(d -> component(d).equals("trainer")).findFirst().orElseThrow();
        List<String> args = container(trainer).getArgs();
        new picocli.CommandLine(new TrainerServer()).parseArgs(args.subList(2, args.size()).toArray(String[]::new));
    }

    @Test
    void tlsFromCertManagerNamesEveryServiceAndEveryClientTrustsIt() {
        List<Object> objects = HelmChart.parse(HelmChart.render("cpu", Map.of("tls.enabled", true,
                "tls.clientAuth", true, "tls.certManager.enabled", true, "tls.certManager.issuerRef.name", "ca")));
        Map<?, ?> certificate = objects.stream().filter(o -> o instanceof Map<?, ?> m
                && "Certificate".equals(m.get("kind"))).map(o -> (Map<?, ?>) o).findFirst().orElseThrow();
        Map<?, ?> spec = (Map<?, ?>) certificate.get("spec");
        assertEquals("ensemblescope-tls", spec.get("secretName"));
        assertEquals("PKCS8", ((Map<?, ?>) spec.get("privateKey")).get("encoding"), "the services read PKCS#8");
        List<?> dnsNames = (List<?>) spec.get("dnsNames");
        for (V1Deployment d : HelmChart.ofType(objects, V1Deployment.class)) {
            String component = component(d);
            List<String> args = container(d).getArgs();
            assertTrue(dnsNames.contains("ensemblescope-" + component), dnsNames.toString());
            assertEquals("/etc/escope/tls/tls.crt", after(args, "--tls-cert"), component);
            assertEquals("/etc/escope/tls/tls.key", after(args, "--tls-key"), component);
            assertEquals("/etc/escope/tls/ca.crt", after(args, "--tls-client-ca"), component);
            assertEquals("ensemblescope-tls", volume(d, "tls").getSecret().getSecretName());
            assertEquals("/etc/escope/tls", secretMounts(d).entrySet().stream().filter(e -> e.getValue().equals("tls"))
                    .findFirst().orElseThrow().getKey());
            if (component.equals("metrics")) {
                String target = after(args, "--inference-target").replaceFirst("^dns:///", "");
                assertTrue(dnsNames.contains(target.substring(0, target.indexOf(':'))), target);
                assertEquals("/etc/escope/tls/ca.crt", after(args, "--inference-tls-ca"));
                assertEquals("/etc/escope/tls/tls.crt", after(args, "--inference-tls-cert"));
                assertEquals("/etc/escope/tls/tls.key", after(args, "--inference-tls-key"));
            }
        }
        assertThrows(IllegalStateException.class, () -> HelmChart.render("cpu", Map.of("tls.enabled", true,
                "tls.certManager.enabled", true)), "an issuer is required");
    }

    @Test
    void withoutAuthenticationTheChartSaysInsecureUnlessClientCertificatesGuardThePorts() {
        for (V1Deployment d : HelmChart.ofType(HelmChart.parse(HelmChart.render("cpu",
                Map.of("auth.enabled", false))), V1Deployment.class)) {
            assertTrue(container(d).getArgs().contains("--insecure"), component(d));
            assertFalse(container(d).getArgs().contains("--auth-tokens"), component(d));
        }
        for (V1Deployment d : HelmChart.ofType(HelmChart.parse(HelmChart.render("cpu", Map.of("auth.enabled", false,
                "tls.enabled", true, "tls.clientAuth", true, "tls.existingSecret", "mine"))), V1Deployment.class)) {
            assertFalse(container(d).getArgs().contains("--insecure"), component(d));
            assertEquals("mine", volume(d, "tls").getSecret().getSecretName());
        }
        assertTrue(HelmChart.ofType(HelmChart.parse(HelmChart.render("cpu", Map.of("auth.existingSecret", "given"))),
                V1Secret.class).stream().noneMatch(s -> s.getMetadata().getName().endsWith("-auth")),
                "a named Secret is used, not generated");
    }

    private static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertTrue(i >= 0 && i + 1 < args.size(), flag + " in " + args);
        return args.get(i + 1);
    }

    private static String text(V1Secret secret, String key) {
        return new String(secret.getData().get(key), java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static io.kubernetes.client.openapi.models.V1Volume volume(V1Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
                .findFirst().orElseThrow();
    }

    /** mount path → volume name of the container's read-only Secret mounts. */
    private static Map<String, String> secretMounts(V1Deployment d) {
        Map<String, String> out = new TreeMap<>();
        for (var m : container(d).getVolumeMounts()) {
            if (Boolean.TRUE.equals(m.getReadOnly()) && volume(d, m.getName()).getSecret() != null) {
                out.put(m.getMountPath(), m.getName());
            }
        }
        return out;
    }

    private static String component(V1Deployment d) {
        return d.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/component");
    }

    private static V1Container container(V1Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, Quantity> limits(V1Container c) {
        assertNotNull(c.getResources());
        return c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
    }

    /** The member-Job configuration the trainer reads from the rendered ConfigMap (and the downward API). */
    private static KubernetesExecutorConfig executorConfig(List<Object> objects) {
        Map<String, String> env = new HashMap<>(configMap(objects).getData());
        env.put(KubernetesExecutorEnvironment.NAMESPACE, HelmChart.NAMESPACE); // the downward API's part
        return KubernetesExecutorEnvironment.read(env);
    }

    private static V1ConfigMap configMap(List<Object> objects) {
        return configMapNamed(objects, HelmChart.RELEASE);
    }

    private static V1ConfigMap configMapNamed(List<Object> objects, String name) {
        return HelmChart.ofType(objects, V1ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}
