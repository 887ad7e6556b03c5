package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.JobState;
import io.ensemblescope.api.v1.ListCheckpointsRequest;
import io.ensemblescope.api.v1.ListJobsRequest;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.RunEvaluationEvent;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.api.v1.UnloadModelRequest;
import io.ensemblescope.api.v1.WeightDiversityRequest;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.progress.TrainingProgress;
import io.ensemblescope.reports.SeedRun;
import io.ensemblescope.reports.StudyResults;
import io.grpc.Channel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a study through the three services over gRPC: trains (or reuses) every method × seed on the trainer,
 * evaluates each checkpoint with the metrics service driving the inference service, measures weight diversity,
 * and returns the results the report writer turns into tables and plots.
 */
public final class StudyRunner {
    private final TrainerServiceGrpc.TrainerServiceBlockingStub trainer;
    private final InferenceServiceGrpc.InferenceServiceBlockingStub inference;
    private final MetricsServiceGrpc.MetricsServiceBlockingStub metrics;
    private final String inferenceTarget;
    private final boolean retrain;
    private final PrintStream progress;
    private final Map<StudyMethod, ModelRef> firstSeed = new LinkedHashMap<>();

    /**
     * @param inferenceTarget which inference target configured on the metrics service evaluations use; empty for its
     *     default (the metrics service never dials an address a client names)
     * @param retrain train again even when a checkpoint of the same spec exists
     */
    public StudyRunner(Channel trainer, Channel inference, Channel metrics, String inferenceTarget, boolean retrain,
                       PrintStream progress) {
        this.trainer = TrainerServiceGrpc.newBlockingStub(trainer);
        this.inference = InferenceServiceGrpc.newBlockingStub(inference);
        this.metrics = MetricsServiceGrpc.newBlockingStub(metrics);
        this.inferenceTarget = inferenceTarget;
        this.retrain = retrain;
        this.progress = progress;
    }

    public StudyResults run(StudyPlan plan) {
        Map<String, List<SeedRun>> rows = new LinkedHashMap<>();
        for (StudyMethod method : plan.methods()) {
            List<SeedRun> runs = new ArrayList<>();
            for (long seed : plan.seeds()) {
                TrainRequest request = plan.request(method, seed);
                ModelRef ref = checkpoint(request, method, seed);
                firstSeed.putIfAbsent(method, ref);
                runs.add(evaluateCheckpoint(plan, method, ref, seed));
            }
            rows.put(method.label(), runs);
        }
        return new StudyResults(plan.title(), rows);
    }

    /** Each method's checkpoint of the first seed of the last {@link #run}: what the Cost section measures. */
    public Map<StudyMethod, ModelRef> firstSeedCheckpoints() {
        return java.util.Collections.unmodifiableMap(firstSeed);
    }

    /** The latest checkpoint of this exact spec, trained now when there is none (or when retraining). */
    ModelRef checkpoint(TrainRequest request, StudyMethod method, long seed) {
        String label = String.format(Locale.ROOT, "train %s seed %d", method.label(), seed);
        if (!retrain) {
            var existing = trainer.listCheckpoints(ListCheckpointsRequest.newBuilder()
                    .setModelName(request.getModelName()).build()).getCheckpointsList();
            var latest = existing.stream().max(Comparator.comparingLong(c -> c.getCreatedMs()));
            if (latest.isPresent()) {
                progress.printf("%-44s reused %s/%s%n", label, latest.get().getRef().getName(),
                        latest.get().getRef().getVersion());
                return latest.get().getRef();
            }
        }
        Iterator<TrainEvent> events = trainer.startTraining(unfinished(request).map(job -> {
            progress.printf("%-44s resuming job %s (%s after epoch %d)%n", label, job.getJobId(),
                    job.getState().name().toLowerCase(Locale.ROOT), job.getEpochsCompleted());
            return TrainRequest.newBuilder().setResumeJobId(job.getJobId()).build();
        }).orElse(request));
        int runs = method.method() == Method.DEEP_ENSEMBLE ? method.members() : 1;
        return TrainingProgress.follow(events, new ProgressBar(progress, label), runs).getCheckpoint();
    }

    /**
     * A job of exactly this request that a stopped study left interrupted, or that the trainer is running: resuming
     * or following it beats training the same thing twice.
     */
    private Optional<Job> unfinished(TrainRequest request) {
        return trainer.listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().stream()
                .filter(j -> j.getRequest().equals(request))
                .filter(j -> j.getState() == JobState.INTERRUPTED || j.getState() == JobState.RUNNING
                        || j.getState() == JobState.PENDING)
                .findFirst();
    }

    /** Evaluates one checkpoint on the plan's sets and, for ensembles with member weights, its weight diversity. */
    public SeedRun evaluateCheckpoint(StudyPlan plan, StudyMethod method, ModelRef ref, long seed) {
        EvaluationReport evaluation = evaluate(plan, method, ref, seed);
        DiversityReport diversity = method.members() > 1 && method.method() != Method.MC_DROPOUT
                ? metrics.weightDiversity(WeightDiversityRequest.newBuilder().setCheckpoint(ref).build())
                : null;
        return new SeedRun(evaluation, diversity, Map.of());
    }

    private EvaluationReport evaluate(StudyPlan plan, StudyMethod method, ModelRef ref, long seed) {
        ProgressBar bar = new ProgressBar(progress, String.format(Locale.ROOT, "evaluate %s seed %d",
                method.label(), seed));
        inference.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
        try {
            Iterator<RunEvaluationEvent> events = metrics.runEvaluation(RunEvaluationRequest.newBuilder()
                    .setEvaluationId(ref.getName() + "-" + ref.getVersion()).setModel(ref)
                    .setInferenceTarget(inferenceTarget).addAllDatasets(plan.evaluation())
                    .setBatchSize(plan.evalBatchSize()).setMcSamples(method.mcSamples()).build());
            Map<String, Double> splitFraction = new LinkedHashMap<>();
            while (events.hasNext()) {
                RunEvaluationEvent e = events.next();
                if (e.hasReport()) {
                    bar.done(e.getReport().getSplitsCount() + " splits");
                    return e.getReport();
                }
                var p = e.getProgress();
                splitFraction.put(p.getSplit(), (double) p.getDone() / Math.max(1, p.getTotal()));
                double overall = splitFraction.values().stream().mapToDouble(Double::doubleValue).sum()
                        / plan.evaluation().size();
                bar.update(overall, p.getSplit());
            }
            throw new IllegalStateException("evaluation of " + ref.getName() + " ended without a report");
        } finally {
            inference.unloadModel(UnloadModelRequest.newBuilder().setModel(ref).build());
        }
    }
}
