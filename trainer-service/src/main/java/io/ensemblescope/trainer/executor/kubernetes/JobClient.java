package io.ensemblescope.trainer.executor.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.util.List;
import okhttp3.Response;

/**
 * The few API calls the executor makes, all in one namespace, exactly those the chart's Role grants: create, list
 * and delete Jobs; list Pods; read a pod's log.
 */
final class JobClient {

    private final BatchV1Api batch;
    private final CoreV1Api core;
    private final String namespace;

    JobClient(ApiClient client, String namespace) {
        this.batch = new BatchV1Api(client);
        this.core = new CoreV1Api(client);
        this.namespace = namespace;
    }

    V1Job create(V1Job job) throws ApiException {
        return batch.createNamespacedJob(namespace, job).execute();
    }

    List<V1Job> jobs(String labelSelector) throws ApiException {
        return batch.listNamespacedJob(namespace).labelSelector(labelSelector).execute().getItems();
    }

    List<V1Pod> pods(String labelSelector) throws ApiException {
        return core.listNamespacedPod(namespace).labelSelector(labelSelector).execute().getItems();
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
