package io.ensemblescope.trainer.executor.kubernetes;

import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.trainer.executor.JobContext;
import io.ensemblescope.trainer.executor.TrainingExecutor;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs each run of a training job as a batch/v1 Job (one per Deep-Ensemble member, one for other methods) and
 * supervises them until all succeed ({@link Supervisor}): polling the job's Jobs and Pods by label, streaming phase
 * changes and the members' progress files as events, re-launching a failed member as a new Job up to the backoff
 * limit (the member runner resumes from its epoch snapshot in {@code run-<i>}), and deleting finished Jobs.
 * Cancellation or a member failing beyond its retries deletes every Job of the job; a trainer shutdown leaves them
 * running for the next trainer to adopt. API-server outages are ridden out within {@link Supervision#apiOutageWindow()}.
 */
public final class KubernetesExecutor implements TrainingExecutor {

    public static final String KIND = "kubernetes";

    private final KubernetesExecutorConfig config;
    private final JobClient client;
    private final Pacer pacer;
    private volatile boolean shuttingDown;
    private volatile V1OwnerReference owner;

    public KubernetesExecutor(ApiClient apiClient, KubernetesExecutorConfig config) {
        this(apiClient, config, Pacer.system());
    }

    KubernetesExecutor(ApiClient apiClient, KubernetesExecutorConfig config, Pacer pacer) {
        this.config = config;
        this.client = new JobClient(apiClient, config.namespace());
        this.pacer = pacer;
    }

    /** In a pod: the service account's credentials and the chart's ESCOPE_K8S_* variables; else ~/.kube/config. */
    public static KubernetesExecutor fromEnvironment() throws IOException {
        Map<String, String> env = System.getenv();
        return new KubernetesExecutor(KubernetesExecutorEnvironment.apiClient(env),
                KubernetesExecutorEnvironment.read(env));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void train(JobContext job) throws Exception {
        Path workDir = checkWorkDir(job.workDir());
        new Supervisor(job, workDir, config, client, pacer, () -> shuttingDown, this::owner).run();
    }

    /** Supervision stops within one API call: member Jobs keep running, and the next trainer adopts them. */
    @Override
    public void beginShutdown() {
        shuttingDown = true;
        pacer.wake();
    }

    /**
     * The trainer's Deployment as the owner of member Jobs, so deleting the release ({@code helm uninstall})
     * garbage-collects running members; read once, when the first Job is created. Null when none is configured.
     */
    private V1OwnerReference owner() throws ApiException {
        V1OwnerReference known = owner;
        if (known == null && config.ownerDeployment() != null) {
            known = client.deploymentOwner(config.ownerDeployment());
            owner = known;
        }
        return known;
    }

    private Path checkWorkDir(Path dir) {
        Path workDir = dir.toAbsolutePath().normalize();
        if (!workDir.startsWith(config.mountPath())) {
            throw new IllegalArgumentException("workDir " + workDir + " must lie under the checkpoint store's mountPath "
                    + config.mountPath() + ", which member pods mount from claim " + config.pvcName());
        }
        if (!Files.isRegularFile(workDir.resolve(StoreLayout.REQUEST))) {
            throw new IllegalStateException("workDir " + workDir + " has no request.json: the trainer writes it first");
        }
        return workDir;
    }
}
