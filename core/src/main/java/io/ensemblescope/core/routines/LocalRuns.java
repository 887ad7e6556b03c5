package io.ensemblescope.core.routines;

import ai.djl.Device;
import io.ensemblescope.core.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains every run of a job in this process, one after another: DJL allows one gradient collector per JVM at a time,
 * so Deep-Ensemble members train in parallel only across processes (the Kubernetes executor runs one Job per member),
 * while inside one process PyTorch's intra-op threads use the cores.
 */
public final class LocalRuns {
    private LocalRuns() {}

    /** Directory of run {@code i} inside a job's work directory. */
    public static Path runDir(Path workDir, int i) {
        return StoreLayout.runDir(workDir, i);
    }

    /** Trains run {@code i} of a job (what {@code escope train --member i} does inside a Kubernetes Job). */
    public static RunResult trainRun(JobSpec job, TrainingData data, Path workDir, int i, Device device,
                                     TrainListener listener, RunControl control) throws IOException {
        RunTrainer.Run run = new RunTrainer.Run(job.network(), job.seeds().get(i), data.train(), data.validation(),
                job.config(), new RunFiles(runDir(workDir, i)));
        return RunTrainer.train(run, device, i, listener, control);
    }

    /** Trains every run; returns their results in run order. */
    public static List<RunResult> trainAll(JobSpec job, TrainingData data, Path workDir, Device device,
                                           TrainListener listener, RunControl control) throws IOException {
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < job.runs(); i++) {
            results.add(trainRun(job, data, workDir, i, device, listener, control));
        }
        return results;
    }
}
