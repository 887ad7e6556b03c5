package io.ensemblescope.trainer.executor;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.trainer.request.TrainRequests;
import io.ensemblescope.core.store.StoreLayout;
import io.ensemblescope.trainer.request.TrainRequests;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains one run of a job in its work directory (request.json there): what a member process of the local executor
 * and a Kubernetes Job's container ({@code escope train --job-dir D --member i}) run. SIGTERM preempts the run: it
 * writes a step-level snapshot and exits, and a restarted run resumes from it.
 */
public final class RunMain {
    /** Exit status of a run stopped by SIGTERM (or its parent's death) after writing its snapshot. */
    public static final int PREEMPTED = 3;
    /**
     * System property naming the pid of the trainer that started this run as a child process: when that process
     * dies (even by kill -9) the run snapshots and stops, so a restarted trainer does not find an orphan still
     * training the same run.
     */
    public static final String PARENT_PID_PROPERTY = "escope.run.parentPid";

    private RunMain() {}

    /** Usage: RunMain JOB_DIR MEMBER DEVICE. */
    public static void main(String[] args) throws Exception {
        Engines.offline();
        if (args.length != 3) {
            System.err.println("usage: RunMain JOB_DIR MEMBER DEVICE");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), Integer.parseInt(args[1]), args[2], System.out));
    }

    /** Trains run {@code member}; returns 0 when done, {@link #PREEMPTED} when stopped by a shutdown. */
    public static int run(Path jobDir, int member, String device, PrintStream out) throws Exception {
        TrainRequest.Builder b = TrainRequest.newBuilder();
        JsonFormat.parser().merge(Files.readString(jobDir.resolve(StoreLayout.REQUEST)), b);
        DatasetCatalog catalog = DatasetCatalog.shared();
        JobSpec spec = TrainRequests.toJobSpec(b.build(), catalog);
        if (member < 0 || member >= spec.runs()) {
            throw new IllegalArgumentException("member must be in [0, " + spec.runs() + "), got " + member);
        }
        TrainingData data = TrainingData.holdOut(catalog.load(TrainRequests.dataset(b.getDataset(), catalog)),
                spec.validationFraction());
        AtomicBoolean preempted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            preempted.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS); // let the run write its snapshot before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "preempt-on-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        preemptWhenParentExits(preempted);
        try {
            RunResult r = LocalRuns.trainRun(spec, data, jobDir, member, Engines.device(device), new TrainListener() {
                @Override
                public void onEpoch(int run, EpochRecord e) {
                    out.printf("run %d epoch %d loss %.4f val_acc %.4f %.0f img/s%n", run, e.epoch(), e.loss(),
                            e.validationAccuracy(), e.imagesPerSecond());
                }
            }, new RunControl() {
                @Override
                public boolean preempted() {
                    return preempted.get();
                }
            });
            out.printf("run %d done: epoch %d kept, validation accuracy %.4f%n", member, r.bestEpoch(),
                    r.validationAccuracy());
            return 0;
        } catch (RunControl.PreemptedException e) {
            out.println("run " + member + " preempted: " + e.getMessage());
            return PREEMPTED;
        } finally {
            finished.countDown();
            if (!preempted.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static void preemptWhenParentExits(AtomicBoolean preempted) {
        String parent = System.getProperty(PARENT_PID_PROPERTY);
        if (parent == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> preempted.set(true)), () -> preempted.set(true));
    }
}
