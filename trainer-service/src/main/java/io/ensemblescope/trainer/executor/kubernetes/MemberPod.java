package io.ensemblescope.trainer.executor.kubernetes;

import java.util.List;

/**
 * What a member Job's pod takes from the release besides its container: the release's environment, image pull
 * credentials, its identity, and the name of the GPU resource.
 *
 * @param environmentConfigMap the ConfigMap whose keys become the member's environment ({@code envFrom}): the
 *                             release's own, so a member reads its data and caches where the services do; null for none
 * @param imagePullSecrets     Secrets to pull the image from a private registry (empty: none)
 * @param serviceAccountName   the members' ServiceAccount (the chart's has no role); null for the namespace default.
 *                             The token is never mounted: a member does not call the API server
 * @param gpuResource          the extended resource a member's GPUs are counted in: {@code nvidia.com/gpu}, or a MIG
 *                             profile such as {@code nvidia.com/mig-1g.10gb}
 */
public record MemberPod(String environmentConfigMap, List<String> imagePullSecrets, String serviceAccountName,
                        String gpuResource) {
    public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
    /** No ConfigMap, no pull secrets, the default ServiceAccount, whole NVIDIA GPUs. */
    public static final MemberPod DEFAULT = new MemberPod(null, List.of(), null, DEFAULT_GPU_RESOURCE);

    public MemberPod {
        environmentConfigMap = blankToNull(environmentConfigMap);
        serviceAccountName = blankToNull(serviceAccountName);
        imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
        gpuResource = gpuResource == null || gpuResource.isBlank() ? DEFAULT_GPU_RESOURCE : gpuResource.trim();
        for (String secret : imagePullSecrets) {
            KubernetesNames.checkObjectName(secret, "imagePullSecrets");
        }
        if (environmentConfigMap != null) {
            KubernetesNames.checkObjectName(environmentConfigMap, "environmentConfigMap");
        }
        if (serviceAccountName != null) {
            KubernetesNames.checkObjectName(serviceAccountName, "serviceAccountName");
        }
        if (!gpuResource.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("gpuResource must be a qualified extended resource name like "
                    + DEFAULT_GPU_RESOURCE + ", got '" + gpuResource + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
