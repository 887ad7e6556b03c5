package io.ensemblescope.trainer.executor.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import okhttp3.Response;

/**
 * The few API calls the executor makes, all in one namespace, exactly those the chart's Role grants: create, list
 * and delete Jobs; list Pods and Events; read a pod's log; get the trainer's own Deployment.
 */
final class JobClient {

    private final BatchV1Api batch;
    private final CoreV1Api core;
    private final AppsV1Api apps;
    private final String namespace;

    JobClient(ApiClient client, String namespace) {
        this.batch = new BatchV1Api(client);
        this.core = new CoreV1Api(client);
        this.apps = new AppsV1Api(client);
        this.namespace = namespace;
    }

    /**
     * Creates a Job; false when one of that name exists already (names are deterministic per member attempt, so it is
     * this attempt's: created by a call whose answer was lost, or by an earlier trainer).
     */
    boolean createOrFind(V1Job job) throws ApiException {
        try {
            batch.createNamespacedJob(namespace, job).execute();
            return true;
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    List<V1Job> jobs(String labelSelector) throws ApiException {
        return batch.listNamespacedJob(namespace).labelSelector(labelSelector).execute().getItems();
    }

    List<V1Pod> pods(String labelSelector) throws ApiException {
        return core.listNamespacedPod(namespace).labelSelector(labelSelector).execute().getItems();
    }

    /**
     * The Warning events about object {@code name} (FailedCreate from a quota, FailedScheduling…), joined. Read once,
     * when a member has been Pending too long; filtered here rather than by a field selector, which not every API
     * server implementation supports.
     */
    String warnings(String name) throws ApiException {
        List<CoreV1Event> events = core.listNamespacedEvent(namespace).execute().getItems();
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
                .filter(e -> "Warning".equals(e.getType()))
                .map(e -> Objects.toString(e.getReason(), "") + ": " + Objects.toString(e.getMessage(), ""))
                .distinct().collect(Collectors.joining("; "));
    }

    /**
     * An owner reference to Deployment {@code name}. A missing Deployment or a forbidden read is a configuration
     * error (IllegalStateException); unreachable or overloaded API servers are retried by the caller.
     */
    V1OwnerReference deploymentOwner(String name) throws ApiException {
        V1Deployment deployment;
        try {
            deployment = apps.readNamespacedDeployment(name, namespace).execute();
        } catch (ApiException e) {
            if (ApiOutage.retryable(e.getCode())) {
                throw e;
            }
            throw new IllegalStateException("the trainer's Deployment " + name + " (" + KubernetesExecutorEnvironment
                    .OWNER_DEPLOYMENT + ") cannot be read in namespace " + namespace + ": HTTP " + e.getCode(), e);
        }
        return new V1OwnerReference().apiVersion("apps/v1").kind("Deployment").name(name)
                .uid(deployment.getMetadata().getUid());
    }

    /** The last lines of a pod's log, or empty when it cannot be read (pod gone, logs rotated). */
    String logTail(String pod, int lines) {
        try {
            String log = core.readNamespacedPodLog(pod, namespace).container(JobSpecFactory.CONTAINER)
                    .tailLines(lines).execute();
            return log == null ? "" : log.strip();
        } catch (ApiException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Deletes a Job and, in the background, its pods; a Job already gone is fine. The response body is not parsed:
     * the API server answers with either a Status or the Job being deleted, and the generated client expects one type.
     */
    void delete(String name) throws ApiException {
        try (Response response = batch.deleteNamespacedJob(name, namespace).propagationPolicy("Background")
                .buildCall(null).execute()) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw new ApiException(response.code(), "deleting Job " + name + ": HTTP " + response.code());
            }
        } catch (IOException e) {
            throw new ApiException(e);
        }
    }
}
