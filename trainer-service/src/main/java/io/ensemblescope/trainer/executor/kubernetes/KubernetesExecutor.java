package io.ensemblescope.trainer.executor.kubernetes;

import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.ATTEMPT_LABEL;
import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.JOB_LABEL;
import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.MEMBER_LABEL;

import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.trainer.executor.JobContext;
import io.ensemblescope.trainer.executor.TrainingExecutor;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs each run of a training job as a batch/v1 Job (one per Deep-Ensemble member, one for other methods) and
 * supervises them until all succeed: every poll interval it lists the job's Jobs and Pods by label (two cheap calls
 * per job, robust to dropped watch connections), streams phase changes and the members' progress files as
 * events, re-launches a failed member as a new Job up to the backoff limit (the member runner resumes from its epoch
 * snapshot in {@code run-<i>}), and deletes finished Jobs. Cancellation or a member failing beyond its retries deletes
 * every Job of the job.
 */
public final class KubernetesExecutor implements TrainingExecutor {

    public static final String KIND = "kubernetes";
    private static final int LOG_TAIL_LINES = 20;
    /** Consecutive failed polls (API server unreachable, restarting) tolerated before the job fails. */
    static final int MAX_POLL_FAILURES = 5;

    private final KubernetesExecutorConfig config;
    private final JobClient client;
    private final JobSpecFactory jobs;

    public KubernetesExecutor(ApiClient apiClient, KubernetesExecutorConfig config) {
        this.config = config;
        this.client = new JobClient(apiClient, config.namespace());
        this.jobs = new JobSpecFactory(config);
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
        List<MemberRun> runs = new ArrayList<>();
        try {
            for (int i = 0; i < job.runs(); i++) {
                MemberRun run = new MemberRun(i);
                runs.add(run);
                if (Files.exists(job.runDir(i).resolve(RunFiles.DONE))) {
                    run.done = true; // resumed job: this member already finished
                    emit(job, i, "member " + i + " already done; not launched");
                } else {
                    launch(job, workDir, run);
                }
            }
            int pollFailures = 0;
            while (runs.stream().anyMatch(r -> !r.done)) {
                if (job.cancelled().getAsBoolean()) {
                    throw new CancellationException("job " + job.jobId() + " was cancelled");
                }
                try {
                    poll(job, workDir, runs);
                    pollFailures = 0;
                } catch (ApiException e) {
                    if (++pollFailures >= MAX_POLL_FAILURES) {
                        throw new IllegalStateException("Kubernetes API failed " + pollFailures
                                + " polls in a row for job " + job.jobId() + ": " + e.getMessage(), e);
                    }
                    emit(job, -1, "Kubernetes API call failed (" + e.getCode() + "), will retry: " + e.getMessage());
                }
                if (runs.stream().anyMatch(r -> !r.done)) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            }
        } finally {
            deleteUnfinished(runs);
        }
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

    private void launch(JobContext job, Path workDir, MemberRun run) throws ApiException {
        V1Job spec = jobs.job(job.jobId(), workDir, run.member, run.attempt);
        client.create(spec);
        run.jobName = spec.getMetadata().getName();
        run.lastStatus = null;
        emit(job, run.member, "member " + run.member + " attempt " + (run.attempt + 1) + "/"
                + (config.backoffLimit() + 1) + ": created Job " + run.jobName);
    }

    private void poll(JobContext job, Path workDir, List<MemberRun> runs) throws ApiException {
        String selector = JOB_LABEL + "=" + KubernetesNames.labelValue(job.jobId());
        Map<String, V1Job> byName = client.jobs(selector).stream()
                .collect(Collectors.toMap(j -> j.getMetadata().getName(), Function.identity(), (a, b) -> a));
        List<V1Pod> pods = client.pods(selector);
        for (MemberRun run : runs) {
            if (run.done) {
                continue;
            }
            List<V1Pod> runPods = podsOf(pods, run);
            MemberStatus status = MemberStatus.of(byName.get(run.jobName), runPods);
            if (!status.equals(run.lastStatus)) {
                run.lastStatus = status;
                emit(job, run.member, "member " + run.member + " attempt " + (run.attempt + 1) + ": "
                        + status.phase() + (status.detail().isEmpty() ? "" : " (" + status.detail() + ")"));
            }
            reportProgress(job, run);
            switch (status.phase()) {
                case SUCCEEDED -> succeeded(job, run);
                case FAILED -> failed(job, workDir, run, status, runPods);
                default -> { }
            }
        }
    }

    private static List<V1Pod> podsOf(List<V1Pod> pods, MemberRun run) {
        return pods.stream().filter(p -> p.getMetadata() != null && p.getMetadata().getLabels() != null)
                .filter(p -> Integer.toString(run.member).equals(p.getMetadata().getLabels().get(MEMBER_LABEL))
                        && Integer.toString(run.attempt).equals(p.getMetadata().getLabels().get(ATTEMPT_LABEL)))
                .toList();
    }

    /**
     * Turns the member runner's {@code progress.json} (core's {@link RunFiles.Progress}, rewritten at step boundaries)
     * into events: STEP for progress within an epoch, EPOCH when a new epoch began with a validation accuracy, which
     * is then the previous epoch's.
     */
    private void reportProgress(JobContext job, MemberRun run) {
        RunFiles.Progress progress = new RunFiles(job.runDir(run.member)).progress();
        if (progress == null || progress.equals(run.lastProgress)) {
            return;
        }
        boolean epochEnded = !Double.isNaN(progress.validationAccuracy())
                && (run.lastProgress == null || run.lastProgress.epoch() < progress.epoch());
        run.lastProgress = progress;
        TrainEvent.Builder event = event(job, run.member).setStep(progress.step()).setTotalSteps(progress.totalSteps())
                .setLoss((float) progress.loss()).setImagesPerSecond((float) progress.imagesPerSecond())
                .setEtaSeconds((float) progress.etaSeconds());
        if (epochEnded) {
            event.setKind(TrainEvent.Kind.EPOCH).setEpoch(progress.epoch() - 1)
                    .setValidationAccuracy((float) progress.validationAccuracy());
        } else {
            event.setKind(TrainEvent.Kind.STEP).setEpoch(progress.epoch());
        }
        job.events().accept(event.build());
    }

    private void succeeded(JobContext job, MemberRun run) throws ApiException {
        client.delete(run.jobName);
        run.done = true;
        if (!Files.exists(job.runDir(run.member).resolve(RunFiles.DONE))) {
            // The pod wrote somewhere else: the member pods and the trainer do not share the checkpoint store.
            throw new IllegalStateException("member " + run.member + ": Job " + run.jobName + " succeeded but "
                    + job.runDir(run.member).resolve(RunFiles.DONE) + " is missing; is claim " + config.pvcName()
                    + " mounted at " + config.mountPath() + " in the trainer too (ReadWriteMany)?");
        }
    }

    private void failed(JobContext job, Path workDir, MemberRun run, MemberStatus status, List<V1Pod> pods)
            throws ApiException {
        String log = pods.stream().map(p -> client.logTail(p.getMetadata().getName(), LOG_TAIL_LINES))
                .filter(s -> !s.isEmpty()).findFirst().orElse("");
        client.delete(run.jobName);
        String reason = status.detail() + (log.isEmpty() ? "" : "\nlast log lines:\n" + log);
        if (run.attempt >= config.backoffLimit()) {
            run.jobName = null;
            throw new IllegalStateException("member " + run.member + " failed after " + (run.attempt + 1)
                    + " attempt(s): " + reason);
        }
        emit(job, run.member, "member " + run.member + " attempt " + (run.attempt + 1) + " failed, retrying from its"
                + " last snapshot: " + reason);
        run.attempt++;
        launch(job, workDir, run);
    }

    /** Deletes the Jobs of members that did not finish (on failure, cancellation or interruption). */
    private void deleteUnfinished(List<MemberRun> runs) {
        for (MemberRun run : runs) {
            if (!run.done && run.jobName != null) {
                try {
                    client.delete(run.jobName);
                } catch (ApiException e) {
                    // ttlSecondsAfterFinished collects it eventually; the original failure matters more.
                }
            }
        }
    }

    private void emit(JobContext job, int member, String message) {
        job.events().accept(event(job, member).setKind(TrainEvent.Kind.STEP).setMessage(message).build());
    }

    private static TrainEvent.Builder event(JobContext job, int member) {
        return TrainEvent.newBuilder().setJobId(job.jobId()).setMember(member).setTimestampMs(System.currentTimeMillis());
    }
}
