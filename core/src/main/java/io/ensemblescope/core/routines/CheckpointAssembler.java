package io.ensemblescope.core.routines;

import ai.djl.Device;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.routines.Evaluation;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.routines.Evaluation;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.routines.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a job's finished runs into a checkpoint version: collects each run's parameters and history, measures the
 * whole ensemble's validation accuracy, and commits manifest and files atomically.
 */
public final class CheckpointAssembler {
    public static final String CODE_VERSION = "0.1.0";

    private CheckpointAssembler() {}

    /** Commits a new version from the finished runs in {@code workDir}. */
    public static Manifest assemble(CheckpointStore store, JobSpec job, TrainingData data, Path workDir)
            throws IOException {
        return assemble(store, job, data, workDir, null);
    }

    /**
     * Commits the version of job {@code jobId}, once: when the job already committed one (it crashed before
     * recording that), returns that version.
     */
    public static Manifest assemble(CheckpointStore store, JobSpec job, TrainingData data, Path workDir,
                                    String jobId) throws IOException {
        List<Path> params = new ArrayList<>();
        List<List<EpochRecord>> history = new ArrayList<>();
        double imagesPerSecond = 0;
        for (int i = 0; i < job.runs(); i++) {
            RunFiles run = new RunFiles(LocalRuns.runDir(workDir, i));
            if (!run.done()) {
                throw new IllegalStateException("run " + i + " of " + job.modelName() + " has not finished");
            }
            RunResult r = run.result();
            history.add(r.history());
            imagesPerSecond += r.imagesPerSecond() / job.runs();
            params.add(run.finalParams());
        }
        ImageDataset train = data.train();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_accuracy", ensembleAccuracy(job, params, data.validation()));
        metrics.put("train_images_per_second", imagesPerSecond);
        Manifest draft = new Manifest(Manifest.FORMAT_VERSION, job.modelName(), "", job.network(),
                train.numClasses(), train.classNames(), train.sampleShape(), train.normalization().mean(),
                train.normalization().std(), job.dataset(), hyperparameters(job), job.seeds(), history, metrics,
                List.of(), Instant.now().toString(), CODE_VERSION);
        return store.commit(draft, params, jobId);
    }

    private static Map<String, Object> hyperparameters(JobSpec job) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("optimizer", job.config().optimizer());
        h.put("lr_milestones", job.config().milestones());
        h.put("lr_gamma", job.config().gamma());
        h.put("epochs", job.config().epochs());
        h.put("batch_size", job.config().batchSize());
        h.put("early_stopping_patience", job.config().patience());
        h.put("split_batch", job.config().splitBatch());
        h.put("augment", job.config().augment());
        h.put("validation_fraction", job.validationFraction());
        return h;
    }

    /** Validation accuracy of the ensemble mean over all members of the assembled network. */
    private static double ensembleAccuracy(JobSpec job, List<Path> params, ImageDataset validation)
            throws IOException {
        long[] seeds = job.seeds().stream().mapToLong(Long::longValue).toArray();
        try (EnsembleNetwork net = EnsembleNetwork.create(job.network(), validation.numClasses(), Device.cpu(),
                seeds)) {
            for (int i = 0; i < params.size(); i++) {
                try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                        java.nio.file.Files.newInputStream(params.get(i))))) {
                    net.loadReplica(i, in);
                }
            }
            return Evaluation.accuracy(net, validation);
        }
    }
}
