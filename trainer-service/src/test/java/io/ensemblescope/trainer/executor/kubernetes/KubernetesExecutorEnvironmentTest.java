package io.ensemblescope.trainer.executor.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesExecutorEnvironmentTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "ESCOPE_K8S_NAMESPACE", "ml", "ESCOPE_K8S_IMAGE", "escope:1", "ESCOPE_K8S_PVC", "data");

    @Test
    void readsEveryVariableTheChartSets() {
        var env = new java.util.HashMap<>(MINIMAL);
        env.putAll(Map.of("ESCOPE_K8S_GPUS", "2", "ESCOPE_K8S_NODE_SELECTOR", "{\"pool\":\"a100\"}",
                "ESCOPE_K8S_TOLERATIONS", "[{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
                "ESCOPE_K8S_RUNTIME_CLASS", "nvidia", "ESCOPE_K8S_MOUNT_PATH", "/mnt/store", "ESCOPE_K8S_COMMAND",
                "java -jar /app/escope.jar", "ESCOPE_K8S_BACKOFF_LIMIT", "4", "ESCOPE_K8S_POLL_MILLIS", "250",
                "ESCOPE_K8S_MEMORY_LIMIT", "8Gi", "ESCOPE_K8S_SPREAD_MEMBERS", "false"));
        KubernetesExecutorConfig c = KubernetesExecutorEnvironment.read(env);
        assertEquals(2, c.gpus());
        assertEquals(Map.of("pool", "a100"), c.nodeSelector());
        assertEquals("NoSchedule", c.tolerations().get(0).getEffect());
        assertEquals("nvidia", c.runtimeClassName());
        assertEquals(Path.of("/mnt/store"), c.mountPath());
        assertEquals(List.of("java", "-jar", "/app/escope.jar"), c.commandPrefix());
        assertEquals(4, c.backoffLimit());
        assertEquals(Duration.ofMillis(250), c.pollInterval());
        assertEquals("8Gi", c.memoryLimit());
        assertEquals(false, c.spreadMembers());
    }

    @Test
    void readsTheMemberPodSettings() {
        var env = new java.util.HashMap<>(MINIMAL);
        env.putAll(Map.of("ESCOPE_K8S_ENV_CONFIGMAP", "escope", "ESCOPE_K8S_IMAGE_PULL_SECRETS", "a, b",
                "ESCOPE_K8S_MEMBER_SERVICE_ACCOUNT", "escope-member", "ESCOPE_K8S_GPU_RESOURCE", "nvidia.com/mig-1g.10gb"));
        MemberPod pod = KubernetesExecutorEnvironment.read(env).memberPod();
        assertEquals(new MemberPod("escope", List.of("a", "b"), "escope-member", "nvidia.com/mig-1g.10gb"), pod);
        assertEquals(MemberPod.DEFAULT, KubernetesExecutorEnvironment.read(MINIMAL).memberPod());
        env.put("ESCOPE_K8S_GPU_RESOURCE", "gpu please");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().startsWith("gpuResource"));
        env.remove("ESCOPE_K8S_GPU_RESOURCE");
        env.put("ESCOPE_K8S_IMAGE_PULL_SECRETS", "Bad_Name");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().startsWith("imagePullSecrets"));
    }

    @Test
    void defaultsAreCpuOnlyWithTheEscopeCommand() {
        KubernetesExecutorConfig c = KubernetesExecutorEnvironment.read(MINIMAL);
        assertEquals(0, c.gpus());
        assertEquals(List.of("escope"), c.commandPrefix());
        assertNull(c.runtimeClassName());
        assertTrue(c.tolerations().isEmpty());
        assertEquals(2, c.backoffLimit());
    }

    @Test
    void theDefaultExecutorIsLocalUnlessTheDeploymentSaysKubernetes() {
        assertEquals(io.ensemblescope.api.v1.ExecutorKind.LOCAL, KubernetesExecutorEnvironment.defaultExecutor(Map.of()));
        assertEquals(io.ensemblescope.api.v1.ExecutorKind.KUBERNETES,
                KubernetesExecutorEnvironment.defaultExecutor(Map.of("ESCOPE_DEFAULT_EXECUTOR", "Kubernetes")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.defaultExecutor(
                Map.of("ESCOPE_DEFAULT_EXECUTOR", "slurm"))).getMessage().contains("ESCOPE_DEFAULT_EXECUTOR"));
        assertTrue(KubernetesExecutorEnvironment.configured(MINIMAL));
        assertTrue(!KubernetesExecutorEnvironment.configured(Map.of()));
    }

    @Test
    void badValuesNameTheVariable() {
        var env = new java.util.HashMap<>(MINIMAL);
        env.put("ESCOPE_K8S_GPUS", "one");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().contains("ESCOPE_K8S_GPUS"));
        env.put("ESCOPE_K8S_GPUS", "-1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().contains("gpus"));
        env.remove("ESCOPE_K8S_GPUS");
        env.put("ESCOPE_K8S_TOLERATIONS", "{not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().contains("ESCOPE_K8S_TOLERATIONS"));
        env.remove("ESCOPE_K8S_TOLERATIONS");
        env.remove("ESCOPE_K8S_IMAGE");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KubernetesExecutorEnvironment.read(env))
                .getMessage().contains("image"));
    }
}
