package io.ensemblescope.trainer.executor.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.trainer.executor.JobContext;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubernetes.client.openapi.models.V1Toleration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job executor against a real HTTP fake API server (fabric8's mock in CRUD mode: Jobs created by the executor are
 * stored, listed by label and deleted; the test plays the kubelet/Job controller by editing their status).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesExecutorTest {

    private static final String NS = JobController.NS;

    KubernetesMockServer server;
    KubernetesClient kube;

    @TempDir
    Path store;

    private final List<TrainEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private CompletableFuture<Void> training;
    private KubernetesExecutor executor;

    private JobController controller;

    @BeforeEach
    void writeRequest() throws Exception {
        controller = new JobController(kube, workDir());
        controller.writeRequest();
    }

    @AfterEach
    void stop() {
        cancelled.set(true);
        if (executor != null) {
            executor.beginShutdown(); // a cleanup retrying against the stopped mock server ends too
        }
    }

    @Test
    void createsOneJobPerMemberWithTheConfiguredSpecAndCleansUp() throws Exception {
        KubernetesExecutorConfig config = new KubernetesExecutorConfig(NS, "registry.example/escope:gpu", null,
                "2", "4Gi", "4", "8Gi", 1, Map.of("pool", "gpu"),
                List.of(new V1Toleration().key("nvidia.com/gpu").operator("Exists").effect("NoSchedule")),
                "nvidia", "escope-data", store, true, 0, 600, Supervision.polling(Duration.ofMillis(50)),
                new MemberPod("escope-env", List.of("registry-cred"), "escope-member", "nvidia.com/mig-1g.10gb"), null);
        start(config, "job-42", 2);

        Job member0 = awaitJob("escope-job-42-m0-a0");
        Job member1 = awaitJob("escope-job-42-m1-a0");
        assertEquals(Map.of("app.kubernetes.io/name", "ensemblescope", "ensemblescope.io/job", "job-42",
                "ensemblescope.io/run", "1", "ensemblescope.io/member", "1", "ensemblescope.io/attempt", "0"),
                member1.getMetadata().getLabels());
        assertEquals(0, member1.getSpec().getBackoffLimit(), "retries belong to the executor");
        assertEquals(600, member1.getSpec().getTtlSecondsAfterFinished());
        var pod = member1.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("registry.example/escope:gpu", container.getImage());
        assertEquals(List.of("escope"), container.getCommand());
        assertEquals(List.of("train", "--job-dir", workDir().toString(), "--member", "1"), container.getArgs());
        assertEquals(new Quantity("1"), container.getResources().getLimits().get("nvidia.com/mig-1g.10gb"));
        assertEquals(1, container.getResources().getLimits().keySet().stream().filter(k -> k.contains("nvidia")).count());
        // The release's environment (ESCOPE_DATA…), pull secrets, and an identity that cannot call the API server.
        assertEquals("escope-env", container.getEnvFrom().get(0).getConfigMapRef().getName());
        assertEquals("registry-cred", pod.getImagePullSecrets().get(0).getName());
        assertEquals("escope-member", pod.getServiceAccountName());
        assertFalse(pod.getAutomountServiceAccountToken());
        assertEquals(new Quantity("8Gi"), container.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("2"), container.getResources().getRequests().get("cpu"));
        assertEquals(Map.of("pool", "gpu"), pod.getNodeSelector());
        assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
        assertEquals("NoSchedule", pod.getTolerations().get(0).getEffect());
        assertEquals("nvidia", pod.getRuntimeClassName());
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals("escope-data", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals(store.toString(), container.getVolumeMounts().get(0).getMountPath());
        assertTrue(container.getSecurityContext().getRunAsNonRoot());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals("kubernetes.io/hostname", pod.getTopologySpreadConstraints().get(0).getTopologyKey());
        assertEquals("0", member0.getMetadata().getLabels().get("ensemblescope.io/member"));
        assertEquals(List.of("escope"), member0.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());

        // Job controller: member 0 runs and reports an epoch through progress.json, then both succeed.
        setStatus("escope-job-42-m0-a0", 1, 0, 0);
        writeProgress(0, new RunFiles.Progress(1, 3, 40, 300, 0.9, Double.NaN, 800, 30));
        awaitEvent(e -> e.getKind() == TrainEvent.Kind.STEP && e.getMember() == 0 && e.getStep() == 40);
        writeProgress(0, new RunFiles.Progress(2, 3, 110, 300, 0.5, 0.91, 810, 20));
        awaitEvent(e -> e.getKind() == TrainEvent.Kind.EPOCH && e.getMember() == 0);
        awaitEvent(e -> e.getMember() == 0 && e.getMessage().contains("RUNNING"));
        succeed("escope-job-42-m0-a0", 0);
        succeed("escope-job-42-m1-a0", 1);
        training.get(10, TimeUnit.SECONDS);

        TrainEvent epoch = events.stream().filter(e -> e.getKind() == TrainEvent.Kind.EPOCH).findFirst().orElseThrow();
        assertEquals("job-42", epoch.getJobId());
        assertEquals(1, epoch.getEpoch());
        assertEquals(0.91f, epoch.getValidationAccuracy());
        assertEquals(110, epoch.getStep());
        assertEquals(300, epoch.getTotalSteps());
        for (int m = 0; m < 2; m++) {
            int member = m;
            assertTrue(events.stream().anyMatch(e -> e.getMember() == member && e.getMessage().contains("SUCCEEDED")),
                    "member " + m + " success streamed: " + events);
        }
        assertTrue(jobs().isEmpty(), "finished Jobs are deleted: " + jobs());
    }

    @Test
    void retriesAFailedMemberAsANewJobWithTheSameArguments() throws Exception {
        start(config(1), "job-r", 1);
        awaitJob("escope-job-r-m0-a0");
        kube.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("escope-job-r-m0-a0-xyz")
                .withLabels(Map.of("ensemblescope.io/job", "job-r", "ensemblescope.io/member", "0",
                        "ensemblescope.io/attempt", "0")).endMetadata()
                .withNewStatus().withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder().withName("member")
                        .withImage("escope:cpu").withImageID("sha256:0").withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                        .endState().build()).endStatus().build()).create();
        setStatus("escope-job-r-m0-a0", 0, 0, 1);

        Job retry = awaitJob("escope-job-r-m0-a1");
        assertEquals(List.of("train", "--job-dir", workDir().toString(), "--member", "0"),
                retry.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        awaitGone("escope-job-r-m0-a0");
        succeed("escope-job-r-m0-a1", 0);
        training.get(10, TimeUnit.SECONDS);

        assertTrue(events.stream().anyMatch(e -> e.getMessage().contains("failed, retrying")
                && e.getMessage().contains("OOMKilled") && e.getMessage().contains("137")), events::toString);
        assertTrue(jobs().isEmpty());
    }

    @Test
    void failsTheJobWhenAMemberFailsBeyondItsBackoffLimitAndDeletesTheOthers() throws Exception {
        start(config(0), "job-f", 2);
        awaitJob("escope-job-f-m0-a0");
        awaitJob("escope-job-f-m1-a0");
        setStatus("escope-job-f-m1-a0", 0, 0, 1);

        ExecutionException e = assertThrows(ExecutionException.class, () -> training.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertTrue(e.getCause().getMessage().contains("member 1 failed after 1 attempt"), e.getCause().getMessage());
        assertTrue(jobs().isEmpty(), "the surviving member's Job is deleted too: " + jobs());
    }

    @Test
    void cancellationDeletesTheJobs() throws Exception {
        start(config(2), "job-c", 3);
        for (int m = 0; m < 3; m++) {
            awaitJob("escope-job-c-m" + m + "-a0");
        }
        cancelled.set(true);
        ExecutionException e = assertThrows(ExecutionException.class, () -> training.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof CancellationException, e.toString());
        assertTrue(jobs().isEmpty(), jobs()::toString);
    }

    @Test
    void aSucceededJobWithoutTheDoneMarkerMeansTheStoreIsNotShared() throws Exception {
        start(config(2), "job-s", 1);
        awaitJob("escope-job-s-m0-a0");
        setStatus("escope-job-s-m0-a0", 0, 1, 0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> training.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("DONE is missing"), e.getCause().getMessage());
    }

    @Test
    void rejectsAWorkDirOutsideTheMountedStore() {
        KubernetesExecutor executor = new KubernetesExecutor(apiClient(), config(0));
        JobContext job = new JobContext("j", request(1), Path.of("/elsewhere/j"), 1, events::add, cancelled::get);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> executor.train(job));
        assertTrue(e.getMessage().contains("workDir"), e.getMessage());
    }

    private KubernetesExecutorConfig config(int backoffLimit) {
        return new KubernetesExecutorConfig(NS, "escope:cpu", null, null, null, null, null, 0, null, null, null,
                "escope-data", store, false, backoffLimit, 60, Supervision.polling(Duration.ofMillis(50)), null, null);
    }

    private void start(KubernetesExecutorConfig config, String jobId, int runs) {
        executor = new KubernetesExecutor(apiClient(), config);
        JobContext job = new JobContext(jobId, request(runs), workDir(), runs, events::add, cancelled::get);
        training = JobController.train(executor, job);
    }

    private io.kubernetes.client.openapi.ApiClient apiClient() {
        return JobController.apiClient(server);
    }

    private static TrainRequest request(int runs) {
        return JobController.request(runs);
    }

    private Path workDir() {
        return store.resolve("jobs").resolve("job");
    }

    /** As the member runner does: the whole file replaced at once. */
    private void writeProgress(int member, RunFiles.Progress progress) throws Exception {
        Path dir = workDir().resolve("run-" + member);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(RunFiles.PROGRESS + ".tmp");
        new ObjectMapper().writeValue(tmp.toFile(), progress);
        Files.move(tmp, dir.resolve(RunFiles.PROGRESS), StandardCopyOption.ATOMIC_MOVE);
    }

    private void succeed(String name, int member) throws Exception {
        controller.succeed(name, member);
    }

    private void setStatus(String name, int active, int succeeded, int failed) {
        controller.setStatus(name, active, succeeded, failed);
    }

    private List<Job> jobs() {
        return kube.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    private Job awaitJob(String name) throws InterruptedException {
        return await(() -> kube.batch().v1().jobs().inNamespace(NS).withName(name).get() != null, "Job " + name)
                ? kube.batch().v1().jobs().inNamespace(NS).withName(name).get() : null;
    }

    private void awaitGone(String name) throws InterruptedException {
        await(() -> kube.batch().v1().jobs().inNamespace(NS).withName(name).get() == null, "deletion of " + name);
        assertNull(kube.batch().v1().jobs().inNamespace(NS).withName(name).get());
    }

    private void awaitEvent(java.util.function.Predicate<TrainEvent> p) throws InterruptedException {
        await(() -> events.stream().anyMatch(p), "event");
    }

    private boolean await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (training != null && training.isDone() && !condition.getAsBoolean()) {
                training.join(); // surfaces the executor's exception
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what + "; events " + events);
    }
}
