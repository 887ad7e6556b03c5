package io.ensemblescope.deploy.rehearsal;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod's container run as the kubelet would run it, as a process of the image's launcher: exactly its
 * {@code command}, {@code args}, {@code env} and {@code envFrom} (ConfigMaps, Secrets) after the image's environment
 * and the variables the kubelet adds ({@code KUBERNETES_SERVICE_HOST/PORT}, {@code HOSTNAME}); working directory
 * {@code /}; no {@code HOME}; its volumes as directories ({@link Rewrites} is the only change to the spec); and, when
 * the rehearsal runs as root, as the pod's {@code runAsUser}/{@code runAsGroup} with {@code fsGroup} as supplementary
 * group and no new privileges, so it can write nowhere but its volumes and world-writable directories.
 *
 * <p>What a container runtime would enforce and a process cannot see is given to the JVM as the runtime would make
 * it appear: the memory and CPU limits ({@code -XX:MaxRAM}, {@code -XX:ActiveProcessorCount}, as from cgroups), the
 * /tmp emptyDir as its temp directory, and no home ({@code user.home = ?}, as for a uid without a passwd entry).
 */
final class PodProcess implements AutoCloseable {
    static final String SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    final String name;
    final Path dir;
    final Map<String, Path> volumes;
    final V1Container container;
    private final Rewrites rewrites;
    private final Process process;
    private final long graceSeconds;

    private PodProcess(String name, Path dir, Map<String, Path> volumes, V1Container container, Rewrites rewrites,
                       Process process, long graceSeconds) {
        this.name = name;
        this.dir = dir;
        this.volumes = volumes;
        this.container = container;
        this.rewrites = rewrites;
        this.process = process;
        this.graceSeconds = graceSeconds;
    }

    /** Starts pod {@code name} of {@code spec} in {@code cluster}. */
    static PodProcess start(Cluster cluster, String name, V1PodSpec spec) throws IOException {
        if (spec.getContainers().size() != 1 || spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
            throw new IllegalStateException(name + ": the rehearsal runs pods of exactly one container");
        }
        cluster.pull(name, spec);
        V1Container c = spec.getContainers().get(0);
        if (c.getCommand() == null || !c.getCommand().equals(List.of(Image.COMMAND))) {
            throw new IllegalStateException(name + ": the image runs `" + Image.COMMAND + "`, not " + c.getCommand());
        }
        Path dir = Files.createDirectories(cluster.root().resolve("pods").resolve(name));
        Identity id = Identity.of(spec.getSecurityContext(), c.getSecurityContext(), cluster.asRoot());
        Map<String, Path> volumes = volumes(cluster, name, spec, dir, id);
        Rewrites rewrites = cluster.services().copy();
        for (V1VolumeMount m : c.getVolumeMounts() == null ? List.<V1VolumeMount>of() : c.getVolumeMounts()) {
            Path volume = volumes.get(m.getName());
            if (volume == null) {
                throw new IllegalStateException(name + ": mount of undeclared volume " + m.getName());
            }
            String claim = claimOf(spec, m.getName());
            if (claim == null) {
                rewrites.mount(m.getMountPath(), volume);
            } else {
                for (String path : cluster.claimMounted(claim, m.getMountPath())) {
                    rewrites.mount(path, volume);
                }
            }
        }
        if (volumes.containsKey(Cluster.SERVICE_ACCOUNT_VOLUME)) {
            rewrites.mount(SERVICE_ACCOUNT_MOUNT, volumes.get(Cluster.SERVICE_ACCOUNT_VOLUME));
        }
        for (V1ContainerPort p : c.getPorts() == null ? List.<V1ContainerPort>of() : c.getPorts()) {
            rewrites.port(p.getContainerPort(), Cluster.freePort());
        }
        Map<String, String> env = environment(cluster, name, spec, c);
        env.replaceAll((k, v) -> rewrites.apply(v));
        List<String> args = rewrites.apply(expand(c.getArgs(), env));
        List<String> jvm = new ArrayList<>(jvmOptions(c));
        rewrites.mountedAt("/tmp").ifPresent(tmp -> jvm.add("-Djava.io.tmpdir=" + tmp));
        List<String> command = new ArrayList<>(id.wrapper());
        command.addAll(cluster.image().command(jvm, args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.writeString(dir.resolve("command"), String.join(" ", command) + "\n" + env + "\n");
        long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
        return new PodProcess(name, dir, volumes, c, rewrites, pb.start(), grace);
    }

    private static String claimOf(V1PodSpec spec, String volume) {
        return spec.getVolumes().stream().filter(v -> v.getName().equals(volume) && v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).findFirst().orElse(null);
    }

    private static Map<String, Path> volumes(Cluster cluster, String pod, V1PodSpec spec, Path dir, Identity id)
            throws IOException {
        Map<String, Path> volumes = new LinkedHashMap<>();
        for (V1Volume v : spec.getVolumes() == null ? List.<V1Volume>of() : spec.getVolumes()) {
            if (v.getPersistentVolumeClaim() != null) {
                volumes.put(v.getName(), cluster.claim(v.getPersistentVolumeClaim().getClaimName()));
            } else if (v.getEmptyDir() != null) {
                volumes.put(v.getName(), id.own(Files.createDirectories(dir.resolve("emptydir").resolve(v.getName()))));
            } else if (v.getSecret() != null) {
                volumes.put(v.getName(), cluster.secretVolume(v.getSecret(),
                        Files.createDirectories(dir.resolve("secret").resolve(v.getName())), id));
            } else {
                throw new IllegalStateException(pod + ": volume " + v.getName()
                        + " is neither a claim, an emptyDir nor a Secret");
            }
        }
        if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
            // The kubelet projects the ServiceAccount's token, the cluster CA and the namespace into every pod that
            // does not opt out.
            volumes.put(Cluster.SERVICE_ACCOUNT_VOLUME, cluster.serviceAccountVolume(
                    dir.resolve("serviceaccount"), spec.getServiceAccountName()));
        }
        return volumes;
    }

    private static Map<String, String> environment(Cluster cluster, String pod, V1PodSpec spec, V1Container c) {
        Map<String, String> env = new LinkedHashMap<>(cluster.image().environment());
        env.put("HOSTNAME", pod);
        env.putAll(cluster.kubeletEnvironment());
        for (V1EnvFromSource from : c.getEnvFrom() == null ? List.<V1EnvFromSource>of() : c.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Map<String, String> source = from.getConfigMapRef() != null
                    ? cluster.configMap(from.getConfigMapRef().getName())
                    : cluster.secret(from.getSecretRef().getName());
            source.forEach((k, v) -> env.put(prefix + k, v));
        }
        for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), expand(List.of(e.getValue() == null ? "" : e.getValue()), env).get(0));
            } else if (e.getValueFrom().getFieldRef() != null) {
                env.put(e.getName(), switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                    case "metadata.namespace" -> cluster.namespace();
                    case "metadata.name" -> pod;
                    case "spec.serviceAccountName" -> String.valueOf(spec.getServiceAccountName());
                    default -> throw new IllegalStateException("fieldRef " + e.getValueFrom().getFieldRef());
                });
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                env.put(e.getName(), cluster.configMap(ref.getName()).get(ref.getKey()));
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                env.put(e.getName(), cluster.secret(ref.getName()).get(ref.getKey()));
            } else {
                throw new IllegalStateException(pod + ": env " + e.getName() + " has an unsupported source");
            }
        }
        env.remove("HOME"); // a uid without a passwd entry has none
        return env;
    }

    /** Kubernetes' {@code $(VAR)} references in args and env values. */
    private static List<String> expand(List<String> values, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String v : values == null ? List.<String>of() : values) {
            Matcher m = VAR_REF.matcher(v);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    private static List<String> jvmOptions(V1Container c) {
        List<String> jvm = new ArrayList<>(List.of("-XX:-UsePerfData", "-Duser.home=?"));
        Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null
                ? Map.of() : c.getResources().getLimits();
        if (limits.containsKey("memory")) {
            jvm.add("-XX:MaxRAM=" + limits.get("memory").getNumber().toBigInteger());
        }
        if (limits.containsKey("cpu")) {
            jvm.add("-XX:ActiveProcessorCount="
                    + limits.get("cpu").getNumber().setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE).intValue());
        }
        return jvm;
    }

    int hostPort(int containerPort) {
        return rewrites.hostPort(containerPort);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the container to exit; -1 when it is still running after {@code seconds}. */
    int await(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last lines of the container's log, for failure messages. */
    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** As the kubelet stops a container: SIGTERM, then SIGKILL after the termination grace period. */
    @Override
    public void close() throws InterruptedException {
        terminate();
        if (process.isAlive()) {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends SIGTERM, as the kubelet does when a pod is deleted; {@link #close()} then waits out the grace period. */
    void terminate() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Who the container runs as. */
    record Identity(long uid, long gid, long fsGroup, boolean switchUser) {
        static Identity of(V1PodSecurityContext pod, V1SecurityContext container, boolean asRoot) {
            Long uid = container != null && container.getRunAsUser() != null ? container.getRunAsUser()
                    : pod == null ? null : pod.getRunAsUser();
            Long gid = container != null && container.getRunAsGroup() != null ? container.getRunAsGroup()
                    : pod == null ? null : pod.getRunAsGroup();
            Long fs = pod == null ? null : pod.getFsGroup();
            if (uid == null || uid == 0) {
                throw new IllegalStateException("pods must set a non-root runAsUser");
            }
            return new Identity(uid, gid == null ? uid : gid, fs == null ? -1 : fs, asRoot);
        }

        /** setpriv as the runtime would start the process; nothing when the rehearsal cannot change users. */
        List<String> wrapper() {
            if (!switchUser) {
                return List.of();
            }
            return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
                    "--groups=" + (fsGroup >= 0 ? fsGroup : gid), "--no-new-privs", "--inh-caps=-all");
        }

        /** Makes a volume (or one of its files) the pod's: owned by its user and fsGroup, as the kubelet does. */
        Path own(Path dir) throws IOException {
            if (switchUser) {
                Cluster.chown(dir, uid, fsGroup >= 0 ? fsGroup : gid);
            }
            return dir;
        }
    }
}
