package io.ensemblescope.core.routines;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Trains every run of a job in this process. Deep-Ensemble members are independent and train in parallel, up to
 * {@code parallelism} at once.
 */
public final class LocalRuns {
    private LocalRuns() {}

    /** Directory of run {@code i} inside a job's work directory. */
    public static Path runDir(Path workDir, int i) {
        return workDir.resolve("run-" + i);
    }

    /** Trains run {@code i} of a job (what {@code escope train --member i} does inside a Kubernetes Job). */
    public static RunResult trainRun(JobSpec job, TrainingData data, Path workDir, int i, Device device,
                                     TrainListener listener, BooleanSupplier cancelled) throws IOException {
        RunTrainer.Run run = new RunTrainer.Run(job.network(), job.seeds().get(i), data.train(), data.validation(),
                job.config(), new RunFiles(runDir(workDir, i)));
        return RunTrainer.train(run, device, i, listener, cancelled);
    }

    /** Trains every run; returns their results in run order. */
    public static List<RunResult> trainAll(JobSpec job, TrainingData data, Path workDir, Device device,
                                           int parallelism, TrainListener listener, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        int runs = job.runs();
        if (runs == 1 || parallelism <= 1) {
            List<RunResult> results = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                results.add(trainRun(job, data, workDir, i, device, listener, cancelled));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, runs), r -> {
            Thread t = new Thread(r, "member-trainer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int member = i;
                futures.add(pool.submit(() -> trainRun(job, data, workDir, member, device, listener, cancelled)));
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<RunResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
