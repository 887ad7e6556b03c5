package io.ensemblescope.trainer.executor.kubernetes;

import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.ATTEMPT_LABEL;
import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.JOB_LABEL;
import static io.ensemblescope.trainer.executor.kubernetes.KubernetesNames.MEMBER_LABEL;

import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.trainer.executor.JobContext;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Supervises the member Jobs of one training job until every member is done. Each cycle is idempotent, so a cycle
 * cut short by an API error is simply run again: the first adopts Jobs an earlier trainer left running (found by the
 * job's label), then every cycle creates the Jobs members still lack, reads the job's Jobs and Pods (two list calls),
 * streams phase changes and progress, re-launches failed members and deletes finished Jobs.
 */
final class Supervisor {

    private static final int LOG_TAIL_LINES = 20;

    /** The owner every member Job gets, or null; may call the API server (once). */
    interface OwnerLookup {
        V1OwnerReference owner() throws ApiException;
    }

    private final JobContext job;
    private final Path workDir;
    private final KubernetesExecutorConfig config;
    private final JobClient client;
    private final JobSpecFactory specs;
    private final Pacer pacer;
    private final BooleanSupplier shuttingDown;
    private final OwnerLookup owner;
    private final String selector;
    private final List<MemberRun> runs = new ArrayList<>();
    private final ApiOutage outage;
    private boolean adopted;

    Supervisor(JobContext job, Path workDir, KubernetesExecutorConfig config, JobClient client, Pacer pacer,
               BooleanSupplier shuttingDown, OwnerLookup owner) {
        this.job = job;
        this.workDir = workDir;
        this.config = config;
        this.client = client;
        this.specs = new JobSpecFactory(config);
        this.pacer = pacer;
        this.shuttingDown = shuttingDown;
        this.owner = owner;
        this.selector = JOB_LABEL + "=" + KubernetesNames.labelValue(job.jobId());
        this.outage = new ApiOutage(config.supervision().apiOutageWindow(), config.supervision().pollInterval(), pacer);
    }

    /** Blocks until every member is done; throws when one fails beyond its retries, on cancellation or shutdown. */
    void run() throws Exception {
        for (int i = 0; i < job.runs(); i++) {
            MemberRun run = new MemberRun(i);
            runs.add(run);
            if (Files.exists(job.runDir(i).resolve(RunFiles.DONE))) {
                run.done = true; // resumed job: this member already finished
                emit(i, "member " + i + " already done; not launched");
            }
        }
        boolean detached = false;
        try {
            while (unfinished()) {
                checkStop();
                Duration wait = config.supervision().pollInterval();
                try {
                    cycle();
                    outage.ended();
                } catch (ApiException e) {
                    wait = outage.failed(e, "job " + job.jobId());
                    emit(-1, "Kubernetes API call failed (" + describe(e) + "), retry " + outage.failures() + " in "
                            + wait.toMillis() + " ms");
                }
                if (unfinished()) {
                    pacer.pause(wait);
                }
            }
        } catch (RunControl.PreemptedException e) {
            detached = true; // the members keep training; the next trainer adopts their Jobs
            throw e;
        } finally {
            if (!detached) {
                deleteUnfinished();
            }
        }
    }

    private boolean unfinished() {
        return runs.stream().anyMatch(r -> !r.done);
    }

    private void checkStop() {
        if (job.cancelled().getAsBoolean()) {
            throw new CancellationException("job " + job.jobId() + " was cancelled");
        }
        if (shuttingDown.getAsBoolean()) {
            throw new RunControl.PreemptedException("trainer shutting down: the member Jobs of " + job.jobId()
                    + " keep running and the next trainer on this store adopts them");
        }
    }

    private void cycle() throws ApiException {
        if (!adopted) {
            adopt(client.jobs(selector));
            adopted = true;
        }
        for (MemberRun run : runs) {
            if (!run.done && run.jobName == null) {
                launch(run);
            }
        }
        poll();
    }

    /**
     * Takes over the newest attempt of every unfinished member that an earlier trainer started (it was stopped or
     * died while they ran), so a restart neither trains a member twice nor orphans its Job; older attempts and the
     * Jobs of finished members are deleted.
     */
    private void adopt(List<V1Job> existing) throws ApiException {
        Map<Integer, V1Job> newest = new HashMap<>();
        List<V1Job> stale = new ArrayList<>();
        for (V1Job j : existing) {
            int member = label(j, MEMBER_LABEL);
            int attempt = label(j, ATTEMPT_LABEL);
            if (member < 0 || member >= runs.size() || attempt < 0 || runs.get(member).done) {
                stale.add(j);
                continue;
            }
            V1Job previous = newest.put(member, j);
            if (previous != null && label(previous, ATTEMPT_LABEL) > attempt) {
                newest.put(member, previous);
                stale.add(j);
            } else if (previous != null) {
                stale.add(previous);
            }
        }
        for (V1Job j : stale) {
            client.delete(j.getMetadata().getName());
        }
        newest.forEach((member, j) -> {
            MemberRun run = runs.get(member);
            run.attempt = label(j, ATTEMPT_LABEL);
            run.jobName = j.getMetadata().getName();
            emit(member, "member " + member + " attempt " + (run.attempt + 1) + ": adopted Job " + run.jobName
                    + ", started before this trainer");
        });
    }

    private static int label(V1Job j, String key) {
        Map<String, String> labels = j.getMetadata() == null ? null : j.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(key);
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void launch(MemberRun run) throws ApiException {
        V1Job spec = specs.job(job.jobId(), workDir, run.member, run.attempt, owner.owner());
        String name = spec.getMetadata().getName();
        boolean created = client.createOrFind(spec);
        run.jobName = name;
        run.lastStatus = null;
        run.pendingSince = -1;
        emit(run.member, "member " + run.member + " attempt " + (run.attempt + 1) + "/" + (config.backoffLimit() + 1)
                + (created ? ": created Job " : ": Job already created (an earlier call's answer was lost): ") + name);
    }

    private void poll() throws ApiException {
        Map<String, V1Job> byName = client.jobs(selector).stream()
                .collect(Collectors.toMap(j -> j.getMetadata().getName(), Function.identity(), (a, b) -> a));
        List<V1Pod> pods = client.pods(selector);
        for (MemberRun run : runs) {
            if (run.done || run.jobName == null) {
                continue;
            }
            List<V1Pod> runPods = podsOf(pods, run);
            MemberStatus status = MemberStatus.of(byName.get(run.jobName), runPods);
            if (!status.equals(run.lastStatus)) {
                run.lastStatus = status;
                emit(run.member, "member " + run.member + " attempt " + (run.attempt + 1) + ": "
                        + status.phase() + (status.detail().isEmpty() ? "" : " (" + status.detail() + ")"));
            }
            reportDisruptions(run, runPods);
            reportProgress(run);
            switch (status.phase()) {
                case SUCCEEDED -> succeeded(run);
                case FAILED -> failed(run, status, runPods);
                case PENDING -> pending(run, status);
                case RUNNING -> run.pendingSince = -1;
            }
        }
    }

    private static List<V1Pod> podsOf(List<V1Pod> pods, MemberRun run) {
        return pods.stream().filter(p -> p.getMetadata() != null && p.getMetadata().getLabels() != null)
                .filter(p -> Integer.toString(run.member).equals(p.getMetadata().getLabels().get(MEMBER_LABEL))
                        && Integer.toString(run.attempt).equals(p.getMetadata().getLabels().get(ATTEMPT_LABEL)))
                .toList();
    }

    /** A member that cannot start (no node fits, quota, image) fails the job with the scheduler's words. */
    private void pending(MemberRun run, MemberStatus status) throws ApiException {
        long now = pacer.nanoTime();
        if (run.pendingSince < 0) {
            run.pendingSince = now;
            return;
        }
        Duration waited = Duration.ofNanos(now - run.pendingSince);
        Duration limit = config.supervision().pendingTimeout();
        if (waited.compareTo(limit) < 0) {
            return;
        }
        String reason = status.detail().isEmpty() ? client.warnings(run.jobName) : status.detail();
        throw new IllegalStateException("member " + run.member + " still Pending after " + waited.toSeconds()
                + " s (limit " + limit.toSeconds() + " s): " + (reason.isEmpty() ? "no reason reported" : reason));
    }

    /** Evictions and preemptions: the Job's podFailurePolicy replaces the pod without using up a retry. */
    private void reportDisruptions(MemberRun run, List<V1Pod> pods) {
        for (V1Pod pod : pods) {
            String disruption = MemberStatus.disruption(pod);
            if (!disruption.isEmpty() && run.disruptedPods.add(pod.getMetadata().getName())) {
                emit(run.member, "member " + run.member + " pod " + pod.getMetadata().getName() + " disrupted ("
                        + disruption + "); its Job starts another pod, no retry used");
            }
        }
    }

    /**
     * Turns the member runner's {@code progress.json} (core's {@link RunFiles.Progress}, rewritten at step boundaries)
     * into events: STEP for progress within an epoch, EPOCH when a new epoch began with a validation accuracy, which
     * is then the previous epoch's.
     */
    private void reportProgress(MemberRun run) {
        RunFiles.Progress progress = new RunFiles(job.runDir(run.member)).progress();
        if (progress == null || progress.equals(run.lastProgress)) {
            return;
        }
        boolean epochEnded = !Double.isNaN(progress.validationAccuracy())
                && (run.lastProgress == null || run.lastProgress.epoch() < progress.epoch());
        run.lastProgress = progress;
        TrainEvent.Builder event = event(run.member).setStep(progress.step()).setTotalSteps(progress.totalSteps())
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

    private void succeeded(MemberRun run) throws ApiException {
        client.delete(run.jobName);
        run.done = true;
        if (!Files.exists(job.runDir(run.member).resolve(RunFiles.DONE))) {
            // The pod wrote somewhere else: the member pods and the trainer do not share the checkpoint store.
            throw new IllegalStateException("member " + run.member + ": Job " + run.jobName + " succeeded but "
                    + job.runDir(run.member).resolve(RunFiles.DONE) + " is missing; is claim " + config.pvcName()
                    + " mounted at " + config.mountPath() + " in the trainer too (ReadWriteMany)?");
        }
    }

    private void failed(MemberRun run, MemberStatus status, List<V1Pod> pods) throws ApiException {
        String log = pods.stream().map(p -> client.logTail(p.getMetadata().getName(), LOG_TAIL_LINES))
                .filter(s -> !s.isEmpty()).findFirst().orElse("");
        client.delete(run.jobName);
        String reason = status.detail() + (log.isEmpty() ? "" : "\nlast log lines:\n" + log);
        if (run.attempt >= config.backoffLimit()) {
            run.jobName = null;
            throw new IllegalStateException("member " + run.member + " failed after " + (run.attempt + 1)
                    + " attempt(s): " + reason);
        }
        emit(run.member, "member " + run.member + " attempt " + (run.attempt + 1) + " failed, retrying from its"
                + " last snapshot: " + reason);
        run.attempt++;
        run.jobName = null; // the next attempt is created now, or at the next cycle if the API fails meanwhile
        launch(run);
    }

    /**
     * Deletes the Jobs of members that did not finish (on failure or cancellation), retrying through an outage
     * within the window; ttlSecondsAfterFinished and the owner reference are the safety nets after that.
     */
    private void deleteUnfinished() {
        ApiOutage cleanup = new ApiOutage(config.supervision().apiOutageWindow(), config.supervision().pollInterval(),
                pacer);
        for (MemberRun run : runs) {
            while (!run.done && run.jobName != null && !shuttingDown.getAsBoolean()) {
                try {
                    client.delete(run.jobName);
                    run.jobName = null;
                } catch (ApiException e) {
                    Duration wait;
                    try {
                        wait = cleanup.failed(e, "deleting Job " + run.jobName);
                    } catch (IllegalStateException gaveUp) {
                        emit(run.member, gaveUp.getMessage() + "; ttlSecondsAfterFinished removes it once it ends");
                        break;
                    }
                    emit(run.member, "deleting Job " + run.jobName + " failed (" + describe(e) + "), retry "
                            + cleanup.failures() + " in " + wait.toMillis() + " ms");
                    try {
                        pacer.pause(wait);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static String describe(ApiException e) {
        return (e.getCode() == 0 ? "unreachable" : "HTTP " + e.getCode()) + ": " + ApiOutage.brief(e);
    }

    private void emit(int member, String message) {
        job.events().accept(event(member).setKind(TrainEvent.Kind.STEP).setMessage(message).build());
    }

    private TrainEvent.Builder event(int member) {
        return TrainEvent.newBuilder().setJobId(job.jobId()).setMember(member).setTimestampMs(System.currentTimeMillis());
    }
}
