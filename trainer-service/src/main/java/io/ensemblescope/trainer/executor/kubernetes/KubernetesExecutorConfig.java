package io.ensemblescope.trainer.executor.kubernetes;

import io.kubernetes.client.openapi.models.V1Toleration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How member Jobs are shaped and supervised. Built by the trainer from its environment (see
 * {@link KubernetesExecutorEnvironment}, which the Helm chart's ConfigMap fills) or directly in tests.
 *
 * @param namespace namespace of the member Jobs (the trainer's own: its Role grants nothing elsewhere)
 * @param image container image of a member (the escope image, CPU or GPU variant)
 * @param commandPrefix the container command before {@code train …}; {@code ["escope"]} by default
 * @param cpuRequest CPU request, e.g. "2"; null leaves it unset
 * @param memoryRequest memory request, e.g. "4Gi"; null leaves it unset
 * @param cpuLimit CPU limit; null leaves it unset
 * @param memoryLimit memory limit; null leaves it unset
 * @param gpus nvidia.com/gpu limit per member; 0 requests no GPU
 * @param nodeSelector node selector of member pods (e.g. a GPU node pool); empty for none
 * @param tolerations tolerations of member pods (e.g. nvidia.com/gpu:NoSchedule); empty for none
 * @param runtimeClassName runtime class (e.g. "nvidia"); null for the cluster default
 * @param pvcName the checkpoint-store PersistentVolumeClaim, mounted by the trainer and by every member
 * @param mountPath where the claim is mounted: the checkpoint store root, identical in trainer and member pods
 * @param spreadMembers spread a Deep Ensemble's members over nodes (topology spread on the hostname)
 * @param backoffLimit how many times a failed member is re-launched before the job fails
 * @param ttlSecondsAfterFinished Kubernetes garbage-collects finished Jobs after this long, as a safety net
 * @param supervision how often Jobs are polled, how long API outages and Pending members are tolerated
 * @param memberPod the release's environment, pull secrets, ServiceAccount and GPU resource name for member pods
 * @param ownerDeployment the trainer's Deployment, owner of every member Job (deleted with it); null for none
 */
public record KubernetesExecutorConfig(String namespace, String image, List<String> commandPrefix,
                                       String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit,
                                       int gpus, Map<String, String> nodeSelector, List<V1Toleration> tolerations,
                                       String runtimeClassName, String pvcName, Path mountPath, boolean spreadMembers,
                                       int backoffLimit, int ttlSecondsAfterFinished, Supervision supervision,
                                       MemberPod memberPod, String ownerDeployment) {

    public static final List<String> DEFAULT_COMMAND = List.of("escope");

    public KubernetesExecutorConfig {
        requireText(namespace, "namespace");
        requireText(image, "image");
        requireText(pvcName, "pvcName");
        commandPrefix = commandPrefix == null || commandPrefix.isEmpty() ? DEFAULT_COMMAND : List.copyOf(commandPrefix);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        memberPod = memberPod == null ? MemberPod.DEFAULT : memberPod;
        if (mountPath == null || !mountPath.isAbsolute()) {
            throw new IllegalArgumentException("mountPath must be an absolute path, got " + mountPath);
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("gpus must be >= 0, got " + gpus);
        }
        if (backoffLimit < 0) {
            throw new IllegalArgumentException("backoffLimit must be >= 0, got " + backoffLimit);
        }
        if (ttlSecondsAfterFinished < 0) {
            throw new IllegalArgumentException("ttlSecondsAfterFinished must be >= 0, got " + ttlSecondsAfterFinished);
        }
        supervision = supervision == null ? Supervision.DEFAULT : supervision;
        ownerDeployment = ownerDeployment == null || ownerDeployment.isBlank() ? null
                : KubernetesNames.checkObjectName(ownerDeployment.trim(), "ownerDeployment");
    }

    /** A CPU-only configuration with defaults for everything but the essentials. */
    public static KubernetesExecutorConfig basic(String namespace, String image, String pvcName, Path mountPath) {
        return new KubernetesExecutorConfig(namespace, image, DEFAULT_COMMAND, null, null, null, null, 0, Map.of(),
                List.of(), null, pvcName, mountPath, true, 2, 3600, Supervision.DEFAULT, MemberPod.DEFAULT, null);
    }

    /** How often Jobs, Pods and progress files are read. */
    public Duration pollInterval() {
        return supervision.pollInterval();
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
