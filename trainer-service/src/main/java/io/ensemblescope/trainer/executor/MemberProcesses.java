package io.ensemblescope.trainer.executor;

import io.ensemblescope.api.v1.TrainEvent;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.engine.NativeEnvironment;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunFiles;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.trainer.executor.RunMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains a job's runs as child JVMs ({@link RunMain}), up to {@code parallel} at once, each with a share of the cores
 * as PyTorch threads: DJL allows one gradient collector per process, so this is how Deep-Ensemble members train in
 * parallel on one machine. Progress comes from each run's progress.json; a child's output goes to run-i/log.txt. A
 * child outlives neither this process nor a shutdown: it snapshots and stops when either comes.
 */
final class MemberProcesses {
    private static final long POLL_MILLIS = 250;

    private final int parallel;
    private final String device;
    private final BooleanSupplier shuttingDown;

    MemberProcesses(int parallel, String device, BooleanSupplier shuttingDown) {
        this.parallel = parallel;
        this.device = device;
        this.shuttingDown = shuttingDown;
    }

    /**
     * The command of a member process: this JVM's java and class path, PyTorch on {@code threads} intra-op threads,
     * and this process's pid, so the child stops when this process dies.
     */
    static ProcessBuilder command(Path workDir, int run, String device, int threads) {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-D" + RunMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
                RunMain.class.getName(), workDir.toString(), Integer.toString(run), device);
        pb.environment().put("OMP_WAIT_POLICY", NativeEnvironment.OMP_WAIT_POLICY);
        pb.environment().putIfAbsent("GLIBC_TUNABLES", NativeEnvironment.GLIBC_TUNABLES);
        return pb;
    }

    void trainAll(JobContext job) throws IOException, InterruptedException {
        List<Child> waiting = new ArrayList<>();
        for (int i = 0; i < job.runs(); i++) {
            waiting.add(new Child(i, new RunFiles(LocalRuns.runDir(job.workDir(), i))));
        }
        List<Child> running = new ArrayList<>();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.min(parallel, job.runs()));
        try {
            while (!waiting.isEmpty() || !running.isEmpty()) {
                if (job.cancelled().getAsBoolean()) {
                    throw new CancellationException("job cancelled");
                }
                if (shuttingDown.getAsBoolean()) {
                    stopAll(running); // SIGTERM: each child snapshots at its next step boundary
                    throw new RunControl.PreemptedException("trainer shutting down; member snapshots written");
                }
                while (running.size() < parallel && !waiting.isEmpty()) {
                    Child c = waiting.remove(0);
                    if (!c.files.done()) {
                        c.start(job.workDir(), device, threads);
                    }
                    running.add(c);
                }
                for (Child c : new ArrayList<>(running)) {
                    c.report(job);
                    if (c.finished()) {
                        running.remove(c);
                        c.check();
                        c.report(job);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            running.forEach(c -> c.process.ifPresent(Process::destroyForcibly));
        }
    }

    private static void stopAll(List<Child> running) throws InterruptedException {
        running.forEach(c -> c.process.ifPresent(Process::destroy));
        for (Child c : running) {
            if (c.process.isPresent()) {
                c.process.get().waitFor();
            }
        }
    }

    /** One run's child process and what has been reported of it. */
    private static final class Child {
        final int run;
        final RunFiles files;
        Optional<Process> process = Optional.empty();
        int epochsReported;
        long stepReported = -1;

        Child(int run, RunFiles files) {
            this.run = run;
            this.files = files;
        }

        void start(Path workDir, String device, int threads) throws IOException {
            Files.createDirectories(files.dir());
            ProcessBuilder pb = command(workDir, run, device, threads);
            pb.redirectErrorStream(true).redirectOutput(files.dir().resolve(StoreLayout.LOG).toFile());
            process = Optional.of(pb.start());
        }

        boolean finished() {
            return process.isEmpty() || !process.get().isAlive();
        }

        void check() throws IOException {
            if (process.isPresent() && process.get().exitValue() != 0 || !files.done()) {
                throw new IOException("member " + run + " failed (exit " + process.map(Process::exitValue)
                        .orElse(-1) + "): " + tail(files.dir().resolve(StoreLayout.LOG)));
            }
        }

        /** Emits a STEP event when the run advanced, and EPOCH events for epochs it finished. */
        void report(JobContext job) throws IOException {
            RunFiles.Progress p = files.progress();
            if (p != null && p.step() != stepReported) {
                stepReported = p.step();
                job.events().accept(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STEP).setMember(run)
                        .setEpoch(p.epoch()).setStep(p.step()).setTotalSteps(p.totalSteps()).setLoss((float) p.loss())
                        .setImagesPerSecond((float) p.imagesPerSecond()).setEtaSeconds((float) p.etaSeconds())
                        .build());
            }
            List<EpochRecord> history = files.history();
            for (; epochsReported < history.size(); epochsReported++) {
                EpochRecord r = history.get(epochsReported);
                job.events().accept(TrainEvent.newBuilder().setKind(TrainEvent.Kind.EPOCH).setMember(run)
                        .setEpoch(r.epoch()).setLoss((float) r.loss())
                        .setValidationAccuracy((float) r.validationAccuracy())
                        .setImagesPerSecond((float) r.imagesPerSecond()).build());
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
