package io.ensemblescope.deploy.rehearsal;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pods of the rehearsal share, as a cluster would provide it: the release's ConfigMaps and Secrets, one
 * directory per PersistentVolumeClaim, a loopback proxy per Service port, the API server's address and the
 * ServiceAccount token and CA the kubelet projects into pods.
 */
final class Cluster implements AutoCloseable {
    static final String SERVICE_ACCOUNT_VOLUME = "kube-api-access";

    private final Path root;
    private final String namespace;
    private final Image image;
    private final boolean asRoot;
    private final long volumeOwner;
    private final Map<String, Map<String, String>> configMaps = new HashMap<>();
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private final Map<String, Path> claims = new HashMap<>();
    private final Map<String, java.util.Set<String>> claimMountPaths = new HashMap<>();
    private final Map<String, V1Service> services = new HashMap<>();
    private final Map<String, ServiceProxy> proxies = new HashMap<>();
    private final Rewrites serviceRewrites;
    private final Map<String, String> kubelet = new HashMap<>();
    private Path caCertificate;
    private String registrySecret;
    private final Map<String, String> tokens = new HashMap<>();

    /**
     * @param asRoot      whether pods run as their own uid (the rehearsal runs as root) or as this user
     * @param volumeOwner uid and gid that own claims (the pods' fsGroup)
     */
    Cluster(Path root, String namespace, Image image, boolean asRoot, long volumeOwner) {
        this.root = root;
        this.namespace = namespace;
        this.image = image;
        this.asRoot = asRoot;
        this.volumeOwner = volumeOwner;
        this.serviceRewrites = new Rewrites(namespace);
    }

    /** Takes the ConfigMaps, Secrets and Services of a rendered release. */
    void apply(List<Object> objects) throws IOException {
        for (Object o : objects) {
            if (o instanceof V1ConfigMap cm) {
                configMaps.put(cm.getMetadata().getName(), cm.getData() == null ? Map.of() : cm.getData());
            } else if (o instanceof V1Secret s) {
                Map<String, String> data = new HashMap<>();
                if (s.getStringData() != null) {
                    data.putAll(s.getStringData());
                }
                if (s.getData() != null) {
                    s.getData().forEach((k, v) -> data.put(k, new String(v, StandardCharsets.UTF_8)));
                }
                secrets.put(s.getMetadata().getName(), data);
            } else if (o instanceof V1Service svc) {
                services.put(svc.getMetadata().getName(), svc);
                for (V1ServicePort port : svc.getSpec().getPorts()) {
                    ServiceProxy proxy = new ServiceProxy(svc.getMetadata().getName() + ":" + port.getPort());
                    proxies.put(svc.getMetadata().getName() + ":" + port.getPort(), proxy);
                    serviceRewrites.service(svc.getMetadata().getName(), port.getPort(), proxy.address());
                }
            }
        }
    }

    /** The API server pods reach through the {@code kubernetes} Service; its certificate signs for localhost. */
    void apiServer(int port, Path caCertificate) {
        kubelet.put("KUBERNETES_SERVICE_HOST", "localhost");
        kubelet.put("KUBERNETES_SERVICE_PORT", Integer.toString(port));
        this.caCertificate = caCertificate;
    }

    /**
     * The image lives in a private registry that only {@code secret} (an image pull Secret the operator created)
     * opens: pods that do not list it fail to pull, as ErrImagePull would keep them Pending forever.
     */
    void privateRegistry(String secret) {
        this.registrySecret = secret;
    }

    /** Pulls a pod's image, or fails as the kubelet would. */
    void pull(String pod, io.kubernetes.client.openapi.models.V1PodSpec spec) {
        if (registrySecret == null) {
            return;
        }
        boolean listed = spec.getImagePullSecrets() != null && spec.getImagePullSecrets().stream()
                .anyMatch(r -> registrySecret.equals(r.getName()));
        if (!listed || !secrets.containsKey(registrySecret)) {
            throw new IllegalStateException(pod + ": ErrImagePull: the registry requires image pull Secret "
                    + registrySecret + " and the pod lists " + spec.getImagePullSecrets());
        }
    }

    /** The token the API server accepts for {@code serviceAccount}. */
    void token(String serviceAccount, String token) {
        tokens.put(serviceAccount, token);
    }

    /** A ready pod joins the endpoints of every Service that selects it. */
    void ready(Map<String, String> labels, PodProcess pod) {
        for (V1Service svc : services.values()) {
            Map<String, String> selector = svc.getSpec().getSelector();
            if (selector == null || !labels.entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            for (V1ServicePort port : svc.getSpec().getPorts()) {
                int containerPort = containerPort(pod, port);
                proxies.get(svc.getMetadata().getName() + ":" + port.getPort()).ready(pod.hostPort(containerPort));
            }
        }
    }

    private static int containerPort(PodProcess pod, V1ServicePort port) {
        var target = port.getTargetPort();
        if (target == null) {
            return port.getPort();
        }
        if (target.isInteger()) {
            return target.getIntValue();
        }
        return pod.container.getPorts().stream().filter(p -> target.getStrValue().equals(p.getName()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no port named " + target.getStrValue()))
                .getContainerPort();
    }

    /** The loopback address of a Service port. */
    String serviceAddress(String service, int port) {
        ServiceProxy proxy = proxies.get(service + ":" + port);
        if (proxy == null) {
            throw new IllegalStateException("no Service " + service + ":" + port);
        }
        return proxy.address();
    }

    Path claim(String name) throws IOException {
        Path dir = claims.get(name);
        if (dir == null) {
            dir = Files.createDirectories(root.resolve("volumes").resolve(name));
            if (asRoot) {
                chown(dir, volumeOwner, volumeOwner);
            }
            claims.put(name, dir);
        }
        return dir;
    }

    /**
     * Where pods mount {@code claim}. A Job the trainer creates carries the trainer's (rewritten) view of the claim's
     * path; mapping every path the release mounts the claim at keeps one path per claim in every pod, as in a cluster.
     */
    synchronized java.util.Set<String> claimMounted(String claim, String mountPath) {
        java.util.Set<String> paths = claimMountPaths.computeIfAbsent(claim, k -> new java.util.LinkedHashSet<>());
        paths.add(mountPath);
        return java.util.Set.copyOf(paths);
    }

    /** The kubelet's projected ServiceAccount volume: token, ca.crt and namespace. */
    Path serviceAccountVolume(Path dir, String serviceAccount) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("namespace"), namespace);
        Files.writeString(dir.resolve("token"), tokens.getOrDefault(serviceAccount, "unknown-account"));
        if (caCertificate != null) {
            Files.copy(caCertificate, dir.resolve("ca.crt"));
        }
        return dir;
    }

    Map<String, String> configMap(String name) {
        Map<String, String> data = configMaps.get(name);
        if (data == null) {
            throw new IllegalStateException("no ConfigMap " + name + " (the pod would not start)");
        }
        return data;
    }

    Map<String, String> secret(String name) {
        Map<String, String> data = secrets.get(name);
        if (data == null) {
            throw new IllegalStateException("no Secret " + name + " (the pod would not start)");
        }
        return data;
    }

    Rewrites services() {
        return serviceRewrites;
    }

    Map<String, String> kubeletEnvironment() {
        return kubelet;
    }

    Path root() {
        return root;
    }

    String namespace() {
        return namespace;
    }

    Image image() {
        return image;
    }

    boolean asRoot() {
        return asRoot;
    }

    List<Path> claimDirs() {
        return new ArrayList<>(claims.values());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A Secret volume as the kubelet projects it: the Secret's keys (or the listed items) as files with the volume's
     * mode, owned by the pod's user and fsGroup; a Secret the release does not hold is an error, as it leaves the pod
     * ContainerCreating.
     */
    Path secretVolume(V1SecretVolumeSource source, Path dir, PodProcess.Identity id) throws IOException {
        Map<String, String> data = secrets.get(source.getSecretName());
        if (data == null) {
            throw new IllegalStateException("Secret " + source.getSecretName() + " is not part of the release");
        }
        Map<String, String> files = new java.util.TreeMap<>();
        if (source.getItems() == null) {
            data.keySet().forEach(k -> files.put(k, k));
        } else {
            source.getItems().forEach(i -> files.put(i.getKey(), i.getPath()));
        }
        int mode = source.getDefaultMode() == null ? 0644 : source.getDefaultMode();
        for (Map.Entry<String, String> f : files.entrySet()) {
            String value = data.get(f.getKey());
            if (value == null) {
                throw new IllegalStateException("Secret " + source.getSecretName() + " has no key " + f.getKey());
            }
            Path file = Files.writeString(dir.resolve(f.getValue()), value);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                    permissions(mode)));
            id.own(file);
        }
        return id.own(dir);
    }

    private static String permissions(int mode) {
        StringBuilder p = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            p.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return p.toString();
    }

    static void chown(Path path, long uid, long gid) throws IOException {
        Files.setAttribute(path, "unix:uid", (int) uid);
        Files.setAttribute(path, "unix:gid", (int) gid);
    }

    @Override
    public void close() throws IOException {
        for (ServiceProxy proxy : proxies.values()) {
            proxy.close();
        }
    }
}
