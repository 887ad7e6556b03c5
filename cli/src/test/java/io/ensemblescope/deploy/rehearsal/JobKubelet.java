package io.ensemblescope.deploy.rehearsal;

import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The Job controller and kubelet of the rehearsal, for the Jobs the trainer creates on the API server: each new Job's
 * pod runs as a {@link PodProcess} from the Job's own pod template; the Pod object and the Job's status follow the
 * process (active, then succeeded or failed with the container's exit code); a Job deleted while its pod runs has the
 * pod stopped and its Pod object removed, as the garbage collector would.
 */
final class JobKubelet implements AutoCloseable {
    private static final String JOB_NAME_LABEL = "job-name";

    private final Cluster cluster;
    private final KubernetesClient kube;
    private final String namespace;
    private final Map<String, PodProcess> running = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> podLabels = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> owners = new ConcurrentHashMap<>();
    private final List<PodProcess> finished = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger transientFailures = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread loop;
    private volatile boolean stopped;

    JobKubelet(Cluster cluster, KubernetesClient kube) {
        this.cluster = cluster;
        this.kube = kube;
        this.namespace = cluster.namespace();
        this.loop = new Thread(this::run, "rehearsal-kubelet");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (!stopped) {
            try {
                sync();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | java.io.IOException e) {
                // An API call that failed (a busy machine times out) is retried on the next pass, as a kubelet would.
                transientFailures.incrementAndGet();
            }
        }
    }

    private void sync() throws java.io.IOException, InterruptedException {
        Map<String, Job> jobs = kube.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(j -> j.getMetadata().getName(), j -> j));
        for (Job job : jobs.values()) {
            String name = job.getMetadata().getName();
            if (seen.add(name)) {
                owners.put(name, job.getMetadata().getOwnerReferences().stream()
                        .map(o -> o.getKind() + "/" + o.getName() + "/" + o.getUid()).toList());
                start(job);
            }
        }
        for (var entry : Map.copyOf(running).entrySet()) {
            String name = entry.getKey();
            PodProcess pod = entry.getValue();
            if (!jobs.containsKey(name)) {
                pod.close(); // the Job was deleted: its pod goes (propagation Background)
                running.remove(name);
                finished.add(pod);
                kube.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, name).delete();
            } else if (!pod.alive()) {
                finish(name, pod, pod.await(0)); // throws on a failed API call: retried on the next pass
                running.remove(name);
                finished.add(pod);
            }
        }
    }

    private void start(Job job) throws java.io.IOException {
        String name = job.getMetadata().getName();
        V1PodTemplateSpec template = new JSON().deserialize(Serialization.asJson(job.getSpec().getTemplate()),
                V1PodTemplateSpec.class);
        String podName = name + "-pod";
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
        labels.put(JOB_NAME_LABEL, name);
        PodProcess pod;
        try {
            pod = PodProcess.start(cluster, podName, template.getSpec());
        } catch (IllegalStateException e) {
            // As the kubelet would leave it: Pending, with the reason on the Pod (ErrImagePull, a missing ConfigMap).
            errors.add(e.getMessage());
            kube.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(podName)
                    .withLabels(labels).endMetadata().withNewStatus().withPhase("Pending").endStatus().build()).create();
            return;
        }
        running.put(name, pod);
        podLabels.put(podName, labels);
        kube.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(podName)
                .withLabels(labels).endMetadata().withNewStatus().withPhase("Running").endStatus().build()).create();
        kube.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(j -> new JobBuilder(j)
                .withNewStatus().withActive(1).endStatus().build());
    }

    private void finish(String name, PodProcess pod, int exit) {
        boolean ok = exit == 0;
        Pod terminated = new PodBuilder().withNewMetadata().withName(pod.name).withLabels(podLabels.get(pod.name))
                .endMetadata().withNewStatus().withPhase(ok ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.container.getName())
                        .withImage(pod.container.getImage()).withImageID("").withReady(false).withRestartCount(0)
                        .withNewState()
                        .withTerminated(new ContainerStateTerminatedBuilder().withExitCode(exit)
                                .withReason(ok ? "Completed" : "Error").build()).endState().build())
                .endStatus().build();
        kube.pods().inNamespace(namespace).resource(terminated).createOr(existing -> existing.update());
        kube.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(j -> new JobBuilder(j)
                .withNewStatus().withActive(0).withSucceeded(ok ? 1 : 0).withFailed(ok ? 0 : 1)
                .withConditions(new JobConditionBuilder().withType(ok ? "Complete" : "Failed").withStatus("True")
                        .withReason(ok ? null : "BackoffLimitExceeded").build())
                .endStatus().build());
    }

    /** Every Job the trainer created, by name. */
    Set<String> jobsSeen() {
        return Set.copyOf(seen);
    }

    /** The owners of Job {@code name} when it was created, as "kind/name/uid". */
    List<String> owners(String name) {
        return owners.getOrDefault(name, List.of());
    }

    /** The member pods that ran (finished or stopped). */
    List<PodProcess> pods() {
        return List.copyOf(finished);
    }

    /** Pods that could not start (image pull, missing ConfigMap or Secret, a spec the image cannot run). */
    List<String> errors() {
        return List.copyOf(errors);
    }

    int runningCount() {
        return running.size();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        loop.interrupt();
        loop.join(10_000);
        for (PodProcess pod : running.values()) {
            pod.close();
        }
    }
}
