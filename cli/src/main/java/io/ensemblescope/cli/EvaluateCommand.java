package io.ensemblescope.cli;

import io.ensemblescope.api.v1.Checkpoint;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.Subset;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.reproduce.StudyMethod;
import io.ensemblescope.cli.reproduce.StudyPlan;
import io.ensemblescope.cli.reproduce.StudyRunner;
import io.ensemblescope.reports.ReportWriter;
import io.ensemblescope.reports.SeedRun;
import io.ensemblescope.reports.StudyResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escope evaluate}: one checkpoint on in-distribution, shifted and OOD data through the metrics and inference
 * services (running ones, or the three started in this process), written as a one-row report.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate one model; write a report.")
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Model as NAME or NAME:VERSION.")
    String model;

    @Option(names = "--in", description = "In-distribution test set.")
    String in = "mnist";

    @Option(names = "--shifted", split = ",", description = "Shifts of the in-distribution set, e.g. rotate-30.")
    List<String> shifted = List.of("rotate-30", "rotate-60", "gaussian-noise-0.3");

    @Option(names = "--ood", split = ",", description = "OOD test sets.")
    List<String> ood = List.of("fashion-mnist");

    @Option(names = "--limit", description = "Test images per set (0: all).")
    int limit;

    @Option(names = "--mc-samples", description = "MC Dropout T (0: the model's default).")
    int mcSamples;

    @Option(names = "--out", description = "Report directory.")
    Path out = Path.of("reports", "evaluate");





    @picocli.CommandLine.Mixin
    ServiceTargets services = new ServiceTargets();

    @Override
    public Integer call() throws Exception {
        String[] parts = model.split(":", 2);
        ModelRef ref = ModelRef.newBuilder().setName(parts[0]).setVersion(parts.length > 1 ? parts[1] : "").build();
        List<EvaluationDataset> sets = new ArrayList<>();
        sets.add(set(SplitKind.IN_DISTRIBUTION, in, in, ""));
        shifted.forEach(s -> sets.add(set(SplitKind.SHIFTED, s, in, s)));
        ood.forEach(o -> sets.add(set(SplitKind.OOD, o, o, "")));
        try (Connections c = services.open()) {
            Checkpoint cp = TrainerServiceGrpc.newBlockingStub(c.trainer()).getCheckpoint(ref);
            StudyMethod method = new StudyMethod(cp.getRef().getName() + "/" + cp.getRef().getVersion(),
                    cp.getMethod(), cp.getMembers(), mcSamples);
            StudyPlan plan = new StudyPlan("evaluate", "Evaluation of " + method.label(), List.of(method), List.of(0L),
                    TrainRequest.getDefaultInstance(), sets, 500, List.of());
            SeedRun run = new StudyRunner(c.trainer(), c.inference(), c.metrics(), "", false,
                    System.err).evaluateCheckpoint(plan, method, cp.getRef(), 0);
            ReportWriter.Written written = new ReportWriter().write(
                    new StudyResults(plan.title(), Map.of(method.label(), List.of(run))), out);
            System.out.println(Files.readString(written.markdown()));
            return 0;
        }
    }

    private EvaluationDataset set(SplitKind kind, String name, String dataset, String shift) {
        return EvaluationDataset.newBuilder().setSplit(Split.newBuilder().setKind(kind).setName(name))
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setSubset(Subset.TEST).setShift(shift)
                        .setLimit(limit).setSeed(17)).build();
    }
}
