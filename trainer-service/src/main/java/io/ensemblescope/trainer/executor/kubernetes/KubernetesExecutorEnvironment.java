package io.ensemblescope.trainer.executor.kubernetes;

import com.google.gson.reflect.TypeToken;
import io.ensemblescope.api.v1.ExecutorKind;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.credentials.TokenFileAuthentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link KubernetesExecutorConfig} from environment variables. The Helm chart's trainer ConfigMap sets exactly
 * these names (templates/configmap.yaml), so the chart stays the single source of deployment truth.
 */
public final class KubernetesExecutorEnvironment {

    public static final String NAMESPACE = "ESCOPE_K8S_NAMESPACE";
    public static final String IMAGE = "ESCOPE_K8S_IMAGE";
    public static final String COMMAND = "ESCOPE_K8S_COMMAND";
    public static final String CPU_REQUEST = "ESCOPE_K8S_CPU_REQUEST";
    public static final String MEMORY_REQUEST = "ESCOPE_K8S_MEMORY_REQUEST";
    public static final String CPU_LIMIT = "ESCOPE_K8S_CPU_LIMIT";
    public static final String MEMORY_LIMIT = "ESCOPE_K8S_MEMORY_LIMIT";
    public static final String GPUS = "ESCOPE_K8S_GPUS";
    public static final String NODE_SELECTOR = "ESCOPE_K8S_NODE_SELECTOR";
    public static final String TOLERATIONS = "ESCOPE_K8S_TOLERATIONS";
    public static final String RUNTIME_CLASS = "ESCOPE_K8S_RUNTIME_CLASS";
    public static final String PVC = "ESCOPE_K8S_PVC";
    public static final String MOUNT_PATH = "ESCOPE_K8S_MOUNT_PATH";
    public static final String SPREAD_MEMBERS = "ESCOPE_K8S_SPREAD_MEMBERS";
    public static final String BACKOFF_LIMIT = "ESCOPE_K8S_BACKOFF_LIMIT";
    public static final String TTL_SECONDS = "ESCOPE_K8S_TTL_SECONDS_AFTER_FINISHED";
    public static final String POLL_MILLIS = "ESCOPE_K8S_POLL_MILLIS";
    /** Seconds the API server may keep failing before a job fails (default 600). */
    public static final String API_OUTAGE_SECONDS = "ESCOPE_K8S_API_OUTAGE_SECONDS";
    /** Seconds a member may stay Pending before its job fails with the scheduler's reason (default 1800). */
    public static final String PENDING_TIMEOUT_SECONDS = "ESCOPE_K8S_PENDING_TIMEOUT_SECONDS";
    /** The trainer's own Deployment, owner of the member Jobs (so uninstalling the release deletes them). */
    public static final String OWNER_DEPLOYMENT = "ESCOPE_K8S_OWNER_DEPLOYMENT";
    /** The release's ConfigMap, given to member pods as their environment (envFrom). */
    public static final String ENV_CONFIG_MAP = "ESCOPE_K8S_ENV_CONFIGMAP";
    /** Comma-separated Secret names member pods pull their image with. */
    public static final String IMAGE_PULL_SECRETS = "ESCOPE_K8S_IMAGE_PULL_SECRETS";
    /** The ServiceAccount member pods run under (no role, token not mounted). */
    public static final String SERVICE_ACCOUNT = "ESCOPE_K8S_MEMBER_SERVICE_ACCOUNT";
    /** The extended resource GPUs are counted in (nvidia.com/gpu, or a MIG profile). */
    public static final String GPU_RESOURCE = "ESCOPE_K8S_GPU_RESOURCE";
    /** Where the trainer's own ServiceAccount token, CA and namespace are mounted (the kubelet's default path). */
    public static final String SERVICE_ACCOUNT_DIR = "ESCOPE_K8S_SERVICE_ACCOUNT_DIR";
    /** Set by the kubelet in every pod: the API server's in-cluster address. */
    static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";
    static final String KUBERNETES_SERVICE_PORT = "KUBERNETES_SERVICE_PORT";
    /** "kubernetes" or "local": the executor of requests that name none. */
    public static final String DEFAULT_EXECUTOR = "ESCOPE_DEFAULT_EXECUTOR";

    /** Where Kubernetes mounts a pod's ServiceAccount credentials unless {@link #SERVICE_ACCOUNT_DIR} says otherwise. */
    static final Path DEFAULT_SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private KubernetesExecutorEnvironment() {}

    /** True when {@code env} describes member Jobs (the chart sets {@link #IMAGE}): the trainer can offer the executor. */
    public static boolean configured(Map<String, String> env) {
        String image = env.get(IMAGE);
        return image != null && !image.isBlank();
    }

    /** The executor for requests that name none: {@link #DEFAULT_EXECUTOR}, LOCAL when unset. */
    public static ExecutorKind defaultExecutor(Map<String, String> env) {
        String value = env.getOrDefault(DEFAULT_EXECUTOR, "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "", "local" -> ExecutorKind.LOCAL;
            case "kubernetes" -> ExecutorKind.KUBERNETES;
            default -> throw new IllegalArgumentException(DEFAULT_EXECUTOR + " must be local or kubernetes, got '"
                    + env.get(DEFAULT_EXECUTOR) + "'");
        };
    }

    /** The configuration described by {@code env}; unset optional variables take the documented defaults. */
    public static KubernetesExecutorConfig read(Map<String, String> env) {
        String namespace = env.getOrDefault(NAMESPACE, "");
        Path namespaceFile = serviceAccountDir(env).resolve("namespace");
        if (namespace.isBlank() && Files.isReadable(namespaceFile)) {
            namespace = readString(namespaceFile).trim();
        }
        String command = env.getOrDefault(COMMAND, "");
        return new KubernetesExecutorConfig(namespace, env.get(IMAGE),
                command.isBlank() ? null : Arrays.asList(command.trim().split("\\s+")),
                blankToNull(env.get(CPU_REQUEST)), blankToNull(env.get(MEMORY_REQUEST)),
                blankToNull(env.get(CPU_LIMIT)), blankToNull(env.get(MEMORY_LIMIT)),
                integer(env, GPUS, 0), nodeSelector(env.get(NODE_SELECTOR)), tolerations(env.get(TOLERATIONS)),
                blankToNull(env.get(RUNTIME_CLASS)), env.get(PVC), Path.of(env.getOrDefault(MOUNT_PATH, "/data")),
                Boolean.parseBoolean(env.getOrDefault(SPREAD_MEMBERS, "true")), integer(env, BACKOFF_LIMIT, 2),
                integer(env, TTL_SECONDS, 3600), new Supervision(
                        Duration.ofMillis(integer(env, POLL_MILLIS, (int) Supervision.DEFAULT_POLL_INTERVAL.toMillis())),
                        Duration.ofSeconds(integer(env, API_OUTAGE_SECONDS,
                                (int) Supervision.DEFAULT_API_OUTAGE_WINDOW.toSeconds())),
                        Duration.ofSeconds(integer(env, PENDING_TIMEOUT_SECONDS,
                                (int) Supervision.DEFAULT_PENDING_TIMEOUT.toSeconds()))),
                new MemberPod(env.get(ENV_CONFIG_MAP), names(env.get(IMAGE_PULL_SECRETS)), env.get(SERVICE_ACCOUNT),
                        env.get(GPU_RESOURCE)), env.get(OWNER_DEPLOYMENT));
    }

    /**
     * The API client of a trainer in a pod: the kubelet's {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} and the
     * ServiceAccount's token (re-read as it rotates) and CA from {@link #SERVICE_ACCOUNT_DIR}. Outside a cluster,
     * the usual kubeconfig lookup.
     */
    public static ApiClient apiClient(Map<String, String> env) throws IOException {
        String host = env.get(KUBERNETES_SERVICE_HOST);
        if (host == null || host.isBlank()) {
            return Config.defaultClient();
        }
        Path dir = serviceAccountDir(env);
        String port = env.getOrDefault(KUBERNETES_SERVICE_PORT, "443");
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return new ClientBuilder().setBasePath("https://" + authority + ":" + port.trim())
                .setCertificateAuthority(Files.readAllBytes(dir.resolve("ca.crt")))
                .setAuthentication(new TokenFileAuthentication(dir.resolve("token").toString()))
                .build();
    }

    static Path serviceAccountDir(Map<String, String> env) {
        String dir = env.get(SERVICE_ACCOUNT_DIR);
        return dir == null || dir.isBlank() ? DEFAULT_SERVICE_ACCOUNT_DIR : Path.of(dir.trim());
    }

    private static List<String> names(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private static Map<String, String> nodeSelector(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return new JSON().deserialize(json, new TypeToken<Map<String, String>>() {}.getType());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(NODE_SELECTOR + " must be a JSON object of strings: " + e.getMessage(), e);
        }
    }

    private static List<V1Toleration> tolerations(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return new JSON().deserialize(json, new TypeToken<List<V1Toleration>>() {}.getType());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(TOLERATIONS + " must be a JSON array of tolerations: " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String readString(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
