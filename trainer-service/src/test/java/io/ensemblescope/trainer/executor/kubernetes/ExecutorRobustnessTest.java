package io.ensemblescope.trainer.executor.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.trainer.executor.JobContext;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Job executor survives, against fabric8's mock API server (CRUD mode; the test plays the Job controller
 * and the scheduler by editing statuses). Time is a {@link SteppedPacer}: the test acts between the executor's
 * cycles and moves a virtual clock, so windows of minutes pass without waiting.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ExecutorRobustnessTest {

    private static final String NS = JobController.NS;

    KubernetesMockServer server;
    KubernetesClient kube;

    @TempDir
    Path store;

    private final List<TrainEvent> events = new CopyOnWriteArrayList<>();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    private JobController controller;

    @BeforeEach
    void writeRequest() throws Exception {
        controller = new JobController(kube, workDir());
        controller.writeRequest();
    }

    @AfterEach
    void stopTrainers() {
        cleanups.forEach(Runnable::run);
    }

    @Test
    void aStoppedTrainerLeavesItsMembersRunningAndTheNextOneAdoptsThem() throws Exception {
        Trainer first = start(config(2, Supervision.DEFAULT, null), "job-a", 2);
        first.pacer.awaitPause();
        assertEquals(List.of("escope-job-a-m0-a0", "escope-job-a-m1-a0"), jobNames());
        setStatus("escope-job-a-m0-a0", 1, 0, 0);

        first.executor.beginShutdown();
        ExecutionException stopped = assertThrows(ExecutionException.class, () -> first.training.get(20, TimeUnit.SECONDS));
        assertInstanceOf(RunControl.PreemptedException.class, stopped.getCause());
        assertEquals(List.of("escope-job-a-m0-a0", "escope-job-a-m1-a0"), jobNames(), "members keep training");

        int requestsBefore = server.getRequestCount();
        Trainer second = start(config(2, Supervision.DEFAULT, null), "job-a", 2);
        second.pacer.awaitPause();
        assertEquals(3, server.getRequestCount() - requestsBefore, "adoption is one list call, then a poll's two");
        assertEquals(List.of("escope-job-a-m0-a0", "escope-job-a-m1-a0"), jobNames(), "no Job created twice");
        assertTrue(events.stream().anyMatch(e -> e.getMessage().contains("adopted Job escope-job-a-m0-a0")), events::toString);
        succeed("escope-job-a-m0-a0", 0);
        succeed("escope-job-a-m1-a0", 1);
        second.pacer.cycle();
        second.training.get(20, TimeUnit.SECONDS);
        assertEquals(List.of(), jobNames(), "finished Jobs deleted");
    }

    @Test
    void anAdoptedMemberKeepsItsAttemptCount() throws Exception {
        KubernetesExecutorConfig config = config(2, Supervision.DEFAULT, null);
        // An earlier trainer had already retried member 0 once and left its second attempt behind, with the first.
        createJob(new JobSpecFactory(config).job("job-b", workDir(), 0, 0));
        createJob(new JobSpecFactory(config).job("job-b", workDir(), 0, 1));
        Trainer trainer = start(config, "job-b", 1);
        trainer.pacer.awaitPause();
        assertEquals(List.of("escope-job-b-m0-a1"), jobNames(), "the newest attempt adopted, the older deleted");

        setStatus("escope-job-b-m0-a1", 0, 0, 1);
        trainer.pacer.cycle();
        assertEquals(List.of("escope-job-b-m0-a2"), jobNames());
        setStatus("escope-job-b-m0-a2", 0, 0, 1);
        trainer.pacer.cycle();
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.training.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("member 0 failed after 3 attempt(s)"), e.getCause().getMessage());
    }

    @Test
    void anApiServerOutageIsRiddenOutWithBackoff() throws Exception {
        Trainer trainer = start(config(0, Supervision.polling(Duration.ofSeconds(2)), null), "job-o", 1);
        trainer.pacer.awaitPause();
        setStatus("escope-job-o-m0-a0", 1, 0, 0);

        trainer.apiDown();
        int before = trainer.pacer.pauses.size();
        for (int i = 0; i < 8; i++) {
            trainer.pacer.cycle(); // 8 failed polls: ~3 minutes of virtual time
        }
        assertEquals(List.of(2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L), trainer.pacer.pauses.subList(before, before + 8)
                .stream().map(Duration::toSeconds).toList(), "exponential backoff from the poll interval, capped");
        assertFalse(trainer.training.isDone(), "within the 10-minute window the job lives");
        assertTrue(events.stream().anyMatch(e -> e.getMessage().contains("Kubernetes API call failed (unreachable")),
                events::toString);

        trainer.apiUp();
        succeed("escope-job-o-m0-a0", 0);
        trainer.pacer.cycle();
        trainer.training.get(20, TimeUnit.SECONDS);
        assertEquals(List.of(), jobNames());
    }

    @Test
    void anOutageBeyondTheWindowFailsTheJobAndCleanupRetriesUntilTheJobsAreDeleted() throws Exception {
        Supervision supervision = new Supervision(Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofMinutes(30));
        Trainer trainer = start(config(0, supervision, null), "job-w", 2);
        trainer.pacer.awaitPause();
        trainer.apiDown();
        // Failed polls at 2, 4, 8, 16, 32, 62, 92 and 122 s: the last is 120 s into the outage, and the first delete
        // of the cleanup fails too (at 122 s, retried 2 s later).
        for (int cycles = 0; trainer.pacer.seconds() < 124 && cycles < 50; cycles++) {
            trainer.pacer.cycle();
        }
        // The job has given up and is deleting its Jobs, which still fails: the cleanup retries.
        assertEquals(124, trainer.pacer.seconds());
        assertFalse(trainer.training.isDone(), "still cleaning up");
        assertTrue(events.stream().anyMatch(e -> e.getMessage().startsWith("deleting Job escope-job-w-m0-a0 failed")),
                events::toString);
        assertEquals(2, jobNames().size());
        trainer.apiUp();
        trainer.pacer.cycle();
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.training.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("Kubernetes API unreachable for 120 s (8 failed calls"),
                e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("retry window 120 s"), e.getCause().getMessage());
        assertEquals(List.of(), jobNames(), "cleanup outlived the outage");
    }

    @Test
    void aForbiddenCallFailsAtOnceNamingTheStatus() {
        ApiOutage outage = new ApiOutage(Duration.ofMinutes(10), Duration.ofSeconds(2), new SteppedPacer());
        assertEquals(Duration.ofSeconds(2), outage.failed(new io.kubernetes.client.openapi.ApiException(503, "busy"), "x"));
        assertEquals(Duration.ofSeconds(4), outage.failed(new io.kubernetes.client.openapi.ApiException(429, "slow"), "x"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> outage.failed(new io.kubernetes.client.openapi.ApiException(403, "forbidden"), "job j"));
        assertTrue(e.getMessage().startsWith("job j: Kubernetes API answered HTTP 403 (not retried)"), e.getMessage());
    }

    @Test
    void anEvictedPodIsReplacedWithoutUsingARetry() throws Exception {
        Trainer trainer = start(config(0, Supervision.DEFAULT, null), "job-e", 1);
        trainer.pacer.awaitPause();
        Job job = kube.batch().v1().jobs().inNamespace(NS).withName("escope-job-e-m0-a0").get();
        var rule = job.getSpec().getPodFailurePolicy().getRules().get(0);
        assertEquals("Ignore", rule.getAction());
        assertEquals("DisruptionTarget", rule.getOnPodConditions().get(0).getType());
        assertEquals("True", rule.getOnPodConditions().get(0).getStatus());

        // The Job controller, honouring that rule: the evicted pod failed, failed stays 0, a new pod runs.
        pod("escope-job-e-m0-a0-evicted", "e", 0, 0, "Failed", new PodConditionBuilder().withType("DisruptionTarget")
                .withStatus("True").withReason("EvictionByEvictionAPI").withMessage("Eviction API: evicting").build());
        pod("escope-job-e-m0-a0-next", "e", 0, 0, "Running", null);
        setStatus("escope-job-e-m0-a0", 1, 0, 0);
        trainer.pacer.cycle();
        trainer.pacer.cycle();
        assertEquals(List.of("escope-job-e-m0-a0"), jobNames(), "no retry Job; backoffLimit 0 is untouched");
        assertEquals(1, events.stream().filter(e -> e.getMessage().contains("disrupted (EvictionByEvictionAPI")).count(),
                events::toString);
        succeed("escope-job-e-m0-a0", 0);
        trainer.pacer.cycle();
        trainer.training.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aMemberPendingPastItsLimitFailsWithTheSchedulersReason() throws Exception {
        Supervision supervision = new Supervision(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMinutes(5));
        Trainer trainer = start(config(2, supervision, null), "job-p", 1);
        trainer.pacer.awaitPause();
        pod("escope-job-p-m0-a0-x", "p", 0, 0, "Pending", new PodConditionBuilder().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").build());
        for (int i = 0; i < 200 && !trainer.training.isDone(); i++) {
            trainer.pacer.cycle();
        }
        assertTrue(trainer.training.isDone(), "failed after 5 virtual minutes");
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.training.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("member 0 still Pending after 300 s (limit 300 s): "
                + "Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu."), e.getCause().getMessage());
        assertEquals(List.of(), jobNames(), "the Pending Job is deleted, no retry: retrying cannot place it");
    }

    @Test
    void aMemberWithoutPodsPastItsLimitFailsWithTheJobsWarningEvents() throws Exception {
        Supervision supervision = new Supervision(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(10));
        Trainer trainer = start(config(2, supervision, null), "job-q", 1);
        trainer.pacer.awaitPause();
        kube.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withName("q1").endMetadata()
                .withType("Warning").withReason("FailedCreate")
                .withMessage("pods \"escope-job-q-m0-a0-x\" is forbidden: exceeded quota: gpu, requested: nvidia.com/gpu=1")
                .withNewInvolvedObject().withKind("Job").withName("escope-job-q-m0-a0").withNamespace(NS)
                .endInvolvedObject().build()).create();
        for (int i = 0; i < 10 && !trainer.training.isDone(); i++) {
            trainer.pacer.cycle();
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.training.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("FailedCreate: pods \"escope-job-q-m0-a0-x\" is forbidden: "
                + "exceeded quota"), e.getCause().getMessage());
    }

    @Test
    void memberJobsAreOwnedByTheTrainersDeployment() throws Exception {
        kube.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("escope-trainer").withUid("4f1c2b7e-0000-4000-8000-000000000001").endMetadata()
                .withNewSpec().endSpec().build()).create();
        String uid = kube.apps().deployments().inNamespace(NS).withName("escope-trainer").get().getMetadata().getUid();
        Trainer trainer = start(config(0, Supervision.DEFAULT, "escope-trainer"), "job-d", 2);
        trainer.pacer.awaitPause();
        for (String name : jobNames()) {
            var owners = kube.batch().v1().jobs().inNamespace(NS).withName(name).get().getMetadata().getOwnerReferences();
            assertEquals(1, owners.size(), name);
            assertEquals("apps/v1", owners.get(0).getApiVersion());
            assertEquals("Deployment", owners.get(0).getKind());
            assertEquals("escope-trainer", owners.get(0).getName());
            assertNotNull(uid);
            assertEquals(uid, owners.get(0).getUid());
        }
    }

    @Test
    void aMissingOwnerDeploymentIsAConfigurationErrorNamingTheVariable() throws Exception {
        Trainer trainer = start(config(0, Supervision.DEFAULT, "escope-trainer"), "job-m", 1);
        trainer.pacer.awaitPause();
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.training.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("ESCOPE_K8S_OWNER_DEPLOYMENT"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("HTTP 404"), e.getCause().getMessage());
        assertEquals(List.of(), jobNames(), "nothing created without its owner");
    }

    @Test
    void onePollOfAJobIsTwoListCalls() throws Exception {
        Trainer trainer = start(config(0, Supervision.DEFAULT, null), "job-c", 4);
        trainer.pacer.awaitPause();
        for (int m = 0; m < 4; m++) {
            setStatus("escope-job-c-m" + m + "-a0", 1, 0, 0);
        }
        trainer.pacer.cycle(); // the RUNNING transitions
        int before = server.getRequestCount();
        for (int i = 0; i < 10; i++) {
            trainer.pacer.cycle();
        }
        // Whatever the number of members: one list of the job's Jobs and one of its Pods per poll interval.
        assertEquals(20, server.getRequestCount() - before);
    }

    // ---- the trainer under test ----

    private final class Trainer {
        final SteppedPacer pacer = new SteppedPacer();
        final ApiClient api = JobController.apiClient(server);
        final String basePath = api.getBasePath();
        final KubernetesExecutor executor;
        final CompletableFuture<Void> training;

        Trainer(KubernetesExecutorConfig config, String jobId, int runs) {
            executor = new KubernetesExecutor(api, config, pacer);
            JobContext job = new JobContext(jobId, JobController.request(runs), workDir(), runs, events::add, () -> false);
            training = JobController.train(executor, job);
            training.whenComplete((r, e) -> pacer.finished());
            cleanups.add(executor::beginShutdown);
        }

        /** The API server stops answering: connections are refused, as during a control-plane restart. */
        void apiDown() throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            api.setBasePath("http://127.0.0.1:" + port);
        }

        void apiUp() {
            api.setBasePath(basePath);
        }
    }

    private Trainer start(KubernetesExecutorConfig config, String jobId, int runs) {
        return new Trainer(config, jobId, runs);
    }

    private KubernetesExecutorConfig config(int backoffLimit, Supervision supervision, String owner) {
        return new KubernetesExecutorConfig(NS, "escope:cpu", null, null, null, null, null, 0, null, null, null,
                "escope-data", store, false, backoffLimit, 60, supervision, null, owner);
    }

    private Path workDir() {
        return store.resolve("jobs").resolve("job");
    }

    private void createJob(io.kubernetes.client.openapi.models.V1Job job) {
        kube.resource(new JSON().serialize(job)).inNamespace(NS).create();
    }

    private void pod(String name, String job, int member, int attempt, String phase,
                     io.fabric8.kubernetes.api.model.PodCondition condition) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("ensemblescope.io/job", "job-" + job, "ensemblescope.io/member",
                        Integer.toString(member), "ensemblescope.io/attempt", Integer.toString(attempt)))
                .endMetadata().withNewStatus().withPhase(phase).endStatus();
        if (condition != null) {
            pod.editStatus().withConditions(condition).endStatus();
        }
        kube.pods().inNamespace(NS).resource(pod.build()).create();
    }

    private void succeed(String name, int member) throws Exception {
        controller.succeed(name, member);
    }

    private void setStatus(String name, int active, int succeeded, int failed) {
        controller.setStatus(name, active, succeeded, failed);
    }

    private List<String> jobNames() {
        return controller.jobNames();
    }
}
