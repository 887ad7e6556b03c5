package io.ensemblescope.trainer.executor.kubernetes;

import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.*;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TopologySpreadConstraint;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch/v1 Job template of one member attempt: {@code <command> train --job-dir <workDir> --member <i>} in the
 * escope image, with the checkpoint-store claim mounted, the release's environment (so a member finds its data where
 * the services do), GPU limits, placement, the registry's pull secrets, and a non-root read-only sandbox under a
 * ServiceAccount whose token is not mounted (a member never calls the API server).
 */
public final class JobSpecFactory {

    static final String CONTAINER = "member";
    static final String STORE_VOLUME = "checkpoint-store";
    static final String TMP_VOLUME = "tmp";
    /** The image's non-root user (distroless/Jib convention). */
    static final long USER_ID = 65532L;

    private final KubernetesExecutorConfig config;

    public JobSpecFactory(KubernetesExecutorConfig config) {
        this.config = config;
    }

    /** The Job for {@code member}'s attempt {@code attempt} (0-based) of job {@code jobId} working in {@code workDir}. */
    public V1Job job(String jobId, Path workDir, int member, int attempt) {
        return job(jobId, workDir, member, attempt, null);
    }

    /**
     * Like {@link #job(String, Path, int, int)}, owned by {@code owner} (the trainer's Deployment; null for none), so
     * the garbage collector deletes running members when the release is uninstalled.
     */
    public V1Job job(String jobId, Path workDir, int member, int attempt, V1OwnerReference owner) {
        Map<String, String> labels = labels(jobId, member);
        labels.put(ATTEMPT_LABEL, Integer.toString(attempt));
        V1ObjectMeta meta = new V1ObjectMeta().name(jobName(jobId, member, attempt)).namespace(config.namespace())
                .labels(labels).annotations(Map.of(JOB_ID_ANNOTATION, jobId));
        if (owner != null) {
            meta.ownerReferences(List.of(owner));
        }
        V1JobSpec spec = new V1JobSpec()
                // Retries belong to the executor: it re-launches a failed member as a fresh Job and reports each try.
                .backoffLimit(0)
                // ...except for disruptions (a drain's eviction, preemption, a lost node): the Job controller starts
                // another pod without counting a failure, and the member resumes from its snapshot.
                .podFailurePolicy(new V1PodFailurePolicy().rules(List.of(new V1PodFailurePolicyRule().action("Ignore")
                        .onPodConditions(List.of(new V1PodFailurePolicyOnPodConditionsPattern()
                                .type(MemberStatus.DISRUPTION_TARGET).status("True"))))))
                .ttlSecondsAfterFinished(config.ttlSecondsAfterFinished())
                .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(pod(jobId, workDir, member)));
        return new V1Job().apiVersion("batch/v1").kind("Job").metadata(meta).spec(spec);
    }

    /** The labels every object of {@code jobId}'s member carries; run and member coincide (one run per member). */
    static Map<String, String> labels(String jobId, int member) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_LABEL, APP);
        labels.put(JOB_LABEL, labelValue(jobId));
        labels.put(RUN_LABEL, Integer.toString(member));
        labels.put(MEMBER_LABEL, Integer.toString(member));
        return labels;
    }

    private V1PodSpec pod(String jobId, Path workDir, int member) {
        V1PodSpec pod = new V1PodSpec()
                .restartPolicy("Never")
                .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(USER_ID).runAsGroup(USER_ID)
                        .fsGroup(USER_ID).seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .containers(List.of(container(jobId, workDir, member)))
                .volumes(List.of(
                        new V1Volume().name(STORE_VOLUME).persistentVolumeClaim(
                                new V1PersistentVolumeClaimVolumeSource().claimName(config.pvcName())),
                        new V1Volume().name(TMP_VOLUME).emptyDir(new V1EmptyDirVolumeSource())))
                .runtimeClassName(config.runtimeClassName())
                .serviceAccountName(config.memberPod().serviceAccountName())
                .automountServiceAccountToken(false);
        if (!config.memberPod().imagePullSecrets().isEmpty()) {
            pod.imagePullSecrets(config.memberPod().imagePullSecrets().stream()
                    .map(name -> new V1LocalObjectReference().name(name)).toList());
        }
        if (!config.nodeSelector().isEmpty()) {
            pod.nodeSelector(new HashMap<>(config.nodeSelector()));
        }
        if (!config.tolerations().isEmpty()) {
            pod.tolerations(new ArrayList<>(config.tolerations()));
        }
        if (config.spreadMembers()) {
            // Deep-Ensemble members of one job prefer different nodes, so k GPUs train k members at once.
            pod.topologySpreadConstraints(List.of(new V1TopologySpreadConstraint().maxSkew(1)
                    .topologyKey("kubernetes.io/hostname").whenUnsatisfiable("ScheduleAnyway")
                    .labelSelector(new V1LabelSelector().matchLabels(Map.of(JOB_LABEL, labelValue(jobId))))));
        }
        return pod;
    }

    private V1Container container(String jobId, Path workDir, int member) {
        V1Container container = new V1Container()
                .name(CONTAINER)
                .image(config.image())
                .command(new ArrayList<>(config.commandPrefix()))
                .args(List.of("train", "--job-dir", workDir.toString(), "--member", Integer.toString(member)))
                .env(List.of(
                        new V1EnvVar().name("ESCOPE_JOB_ID").value(jobId),
                        new V1EnvVar().name("ESCOPE_MEMBER").value(Integer.toString(member)),
                        // The root filesystem is read-only: DJL's cache goes to the writable /tmp volume.
                        new V1EnvVar().name("DJL_CACHE_DIR").value("/tmp/djl")))
                .resources(resources())
                .volumeMounts(List.of(
                        new V1VolumeMount().name(STORE_VOLUME).mountPath(config.mountPath().toString()),
                        new V1VolumeMount().name(TMP_VOLUME).mountPath("/tmp")))
                .securityContext(new V1SecurityContext().runAsNonRoot(true).readOnlyRootFilesystem(true)
                        .allowPrivilegeEscalation(false).capabilities(new V1Capabilities().drop(List.of("ALL"))));
        String environment = config.memberPod().environmentConfigMap();
        if (environment != null) {
            // The release's ConfigMap, as the services get it: ESCOPE_DATA, DJL_CACHE_DIR and the rest.
            container.envFrom(List.of(new V1EnvFromSource().configMapRef(new V1ConfigMapEnvSource().name(environment))));
        }
        return container;
    }

    private V1ResourceRequirements resources() {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        put(requests, "cpu", config.cpuRequest());
        put(requests, "memory", config.memoryRequest());
        put(limits, "cpu", config.cpuLimit());
        put(limits, "memory", config.memoryLimit());
        if (config.gpus() > 0) {
            // Extended resources are set as limits; Kubernetes copies them to requests.
            limits.put(config.memberPod().gpuResource(), new Quantity(Integer.toString(config.gpus())));
        }
        V1ResourceRequirements resources = new V1ResourceRequirements();
        if (!requests.isEmpty()) {
            resources.requests(requests);
        }
        if (!limits.isEmpty()) {
            resources.limits(limits);
        }
        return resources;
    }

    private static void put(Map<String, Quantity> map, String key, String value) {
        if (value != null) {
            map.put(key, new Quantity(value));
        }
    }
}
