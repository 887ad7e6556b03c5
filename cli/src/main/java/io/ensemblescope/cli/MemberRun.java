package io.ensemblescope.cli;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.data.DatasetCatalog;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.core.routines.EpochRecord;
import io.ensemblescope.core.routines.JobSpec;
import io.ensemblescope.core.routines.LocalRuns;
import io.ensemblescope.core.routines.RunControl;
import io.ensemblescope.core.routines.RunResult;
import io.ensemblescope.core.routines.TrainListener;
import io.ensemblescope.core.routines.TrainingData;
import io.ensemblescope.trainer.jobs.TrainRequests;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains one run of a job whose request.json is in the job directory — what a Kubernetes Job's container runs. A
 * rescheduled member resumes from the snapshot in its run directory.
 */
final class MemberRun {
    private MemberRun() {}

    static int run(Path jobDir, int member, String device) throws Exception {
        TrainRequest.Builder b = TrainRequest.newBuilder();
        JsonFormat.parser().merge(Files.readString(jobDir.resolve("request.json")), b);
        DatasetCatalog catalog = DatasetCatalog.shared();
        JobSpec spec = TrainRequests.toJobSpec(b.build(), catalog);
        if (member < 0 || member >= spec.runs()) {
            throw new IllegalArgumentException("--member must be in [0, " + spec.runs() + "), got " + member);
        }
        TrainingData data = TrainingData.holdOut(catalog.load(TrainRequests.dataset(b.getDataset(), catalog)),
                spec.validationFraction());
        RunResult r = LocalRuns.trainRun(spec, data, jobDir, member, Engines.device(device), new TrainListener() {
            @Override
            public void onEpoch(int run, EpochRecord e) {
                System.out.printf("run %d epoch %d loss %.4f val_acc %.4f %.0f img/s%n", run, e.epoch(), e.loss(),
                        e.validationAccuracy(), e.imagesPerSecond());
            }
        }, RunControl.NONE);
        System.out.printf("run %d done: epoch %d kept, validation accuracy %.4f%n", member, r.bestEpoch(),
                r.validationAccuracy());
        return 0;
    }
}
