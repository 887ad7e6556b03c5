package io.ensemblescope.trainer.executor.kubernetes;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.trainer.executor.JobContext;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The executor tests' side of fabric8's mock API server: they play the Job controller (Job statuses) and the member
 * runner (the {@code DONE} marker in the shared work directory).
 */
final class JobController {

    static final String NS = "escope";
    /** Kept strongly referenced: java.util.logging holds loggers weakly. The mock logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesClient kube;
    private final Path workDir;

    JobController(KubernetesClient kube, Path workDir) {
        this.kube = kube;
        this.workDir = workDir;
    }

    /** The trainer's client of {@code server} (no trailing slash: the client appends "/apis/…" itself). */
    static ApiClient apiClient(KubernetesMockServer server) {
        return Config.fromUrl(server.url("/").replaceAll("/+$", ""), false);
    }

    static TrainRequest request(int runs) {
        return TrainRequest.newBuilder().setMethod(runs > 1 ? Method.DEEP_ENSEMBLE : Method.SINGLE).setMembers(runs)
                .build();
    }

    /**
     * Runs {@code executor} on {@code job} in a thread of its own (the common pool has one thread on a two-core
     * machine, and a test's executor must never wait for another test's).
     */
    static CompletableFuture<Void> train(KubernetesExecutor executor, JobContext job) {
        return CompletableFuture.runAsync(() -> {
            try {
                executor.train(job);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, task -> new Thread(task, "executor-" + job.jobId()).start());
    }

    /** A work directory as the trainer leaves it before any executor runs: request.json written. */
    void writeRequest() throws Exception {
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve("request.json"), "{}");
    }

    /** Member {@code member} finished: its DONE marker, then its Job's success. */
    void succeed(String name, int member) throws Exception {
        Files.createDirectories(workDir.resolve("run-" + member));
        Files.writeString(workDir.resolve("run-" + member).resolve("DONE"), "");
        setStatus(name, 0, 1, 0);
    }

    void setStatus(String name, int active, int succeeded, int failed) {
        kube.batch().v1().jobs().inNamespace(NS).withName(name).editStatus(j -> new JobBuilder(j).withNewStatus()
                .withActive(active).withSucceeded(succeeded).withFailed(failed).endStatus().build());
    }

    /** The names of the Jobs in the namespace, sorted. */
    List<String> jobNames() {
        return kube.batch().v1().jobs().inNamespace(NS).list().getItems().stream().map(j -> j.getMetadata().getName())
                .sorted().toList();
    }
}
