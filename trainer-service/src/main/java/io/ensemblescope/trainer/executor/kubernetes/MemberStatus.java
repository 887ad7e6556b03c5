package io.ensemblescope.trainer.executor.kubernetes;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where one member attempt stands, read from its Job and that Job's pods, with a human-readable detail (why a pod is
 * pending, how a container ended).
 */
record MemberStatus(Phase phase, String detail) {

    enum Phase { PENDING, RUNNING, SUCCEEDED, FAILED }

    /** The pod condition Kubernetes sets on pods it evicts, preempts or loses with their node. */
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    /** The status of attempt {@code job} (null when it no longer exists) given the pods it created. */
    static MemberStatus of(V1Job job, List<V1Pod> pods) {
        if (job == null) {
            return new MemberStatus(Phase.FAILED, "its Job disappeared (deleted outside the trainer?)");
        }
        V1JobStatus status = Optional.ofNullable(job.getStatus()).orElseGet(V1JobStatus::new);
        if (positive(status.getSucceeded()) || conditionTrue(status, "Complete")) {
            return new MemberStatus(Phase.SUCCEEDED, "");
        }
        if (positive(status.getFailed()) || conditionTrue(status, "Failed")) {
            return new MemberStatus(Phase.FAILED, join(condition(status, "Failed"), podDetails(pods)));
        }
        boolean podRunning = pods.stream().anyMatch(p -> "Running".equals(phase(p)));
        boolean allPodsPending = !pods.isEmpty() && pods.stream().allMatch(p -> "Pending".equals(phase(p)));
        if (positive(status.getActive()) && (podRunning || !allPodsPending)) {
            return new MemberStatus(Phase.RUNNING, "");
        }
        return new MemberStatus(Phase.PENDING, podDetails(pods));
    }

    /**
     * Why a pod was disrupted (evicted by a drain, preempted, its node gone), from its {@code DisruptionTarget}
     * condition; empty when it was not.
     */
    static String disruption(V1Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return "";
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> join(c.getReason(), c.getMessage())).map(s -> s.isEmpty() ? DISRUPTION_TARGET : s)
                .findFirst().orElse("");
    }

    private static boolean positive(Integer n) {
        return n != null && n > 0;
    }

    private static boolean conditionTrue(V1JobStatus status, String type) {
        return conditions(status).stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String condition(V1JobStatus status, String type) {
        return conditions(status).stream().filter(c -> type.equals(c.getType()))
                .map(c -> join(c.getReason(), c.getMessage())).findFirst().orElse("");
    }

    private static List<V1JobCondition> conditions(V1JobStatus status) {
        return status.getConditions() == null ? List.of() : status.getConditions();
    }

    private static String phase(V1Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /** Why pods wait or how their containers ended: scheduling messages, waiting reasons, exit codes. */
    private static String podDetails(List<V1Pod> pods) {
        return pods.stream().map(MemberStatus::podDetail).filter(s -> !s.isEmpty()).distinct()
                .collect(Collectors.joining("; "));
    }

    private static String podDetail(V1Pod pod) {
        if (pod.getStatus() == null) {
            return "";
        }
        String scheduling = pod.getStatus().getConditions() == null ? "" : pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> join(c.getReason(), c.getMessage())).findFirst().orElse("");
        List<V1ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        String state = containers.stream().map(MemberStatus::containerDetail).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(", "));
        return join(scheduling, state);
    }

    private static String containerDetail(V1ContainerStatus c) {
        if (c.getState() == null) {
            return "";
        }
        if (c.getState().getWaiting() != null) {
            return join(c.getState().getWaiting().getReason(), c.getState().getWaiting().getMessage());
        }
        if (c.getState().getTerminated() != null) {
            var t = c.getState().getTerminated();
            return join(t.getReason(), "exit code " + t.getExitCode(), t.getMessage());
        }
        return "";
    }

    private static String join(String... parts) {
        return java.util.Arrays.stream(parts).filter(Objects::nonNull).filter(s -> !s.isBlank())
                .collect(Collectors.joining(": "));
    }

}
