package io.ensemblescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escope evaluate}: one checkpoint on in-distribution, shifted and OOD data through the metrics and inference
 * services (running ones, or the three started in this process), written as a one-row report. Dataset and shift
 * names, the output directory and the service options are checked before any service starts.
 */
@Command(name = "evaluate", description = "Evaluate one model; write a report.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model as NAME or NAME:VERSION (default: latest).")
    String model;

    @Option(names = "--in", description = "In-distribution test set.")
    String in = "mnist";

    @Option(names = "--shifted", split = ",", description = "Shifts of the in-distribution set, e.g. rotate-30.")
    List<String> shifted = List.of("rotate-30", "rotate-60", "gaussian-noise-0.3");

    @Option(names = "--ood", split = ",", description = "OOD test sets.")
    List<String> ood = List.of("fashion-mnist");

    @Option(names = "--limit", description = "Test images per set (0: all).")
    int limit;

    @Option(names = "--mc-samples", description = "MC Dropout samples T (1..256; default: the model's own T).")
    Integer mcSamples;

    @picocli.CommandLine.Mixin
    ReportOut out = new ReportOut();

    @picocli.CommandLine.Mixin
    ServiceTargets services = new ServiceTargets();

    @Override
    public Integer call() throws Exception {
        ModelRef ref = validate();
        List<EvaluationDataset> sets = new ArrayList<>();
        sets.add(set(SplitKind.IN_DISTRIBUTION, in, in, ""));
        shifted.forEach(s -> sets.add(set(SplitKind.SHIFTED, s, in, s)));
        ood.forEach(o -> sets.add(set(SplitKind.OOD, o, o, "")));
        Path dir = out.directory("evaluate-" + ref.getName());
        try (Connections c = services.open()) {
            Checkpoint cp = TrainerServiceGrpc.newBlockingStub(c.trainer()).getCheckpoint(ref);
            StudyMethod method = new StudyMethod(cp.getRef().getName() + "/" + cp.getRef().getVersion(),
                    cp.getMethod(), cp.getMembers(), mcSamples == null ? 0 : mcSamples);
            long seed = seed(cp);
            StudyPlan plan = new StudyPlan("evaluate", "Evaluation of " + method.label() + " (seed " + seed + ")",
                    List.of(method), List.of(seed), TrainRequest.getDefaultInstance(), sets, 500, List.of());
            SeedRun run = new StudyRunner(c.trainer(), c.inference(), c.metrics(), "", false,
                    System.err).evaluateCheckpoint(plan, method, cp.getRef(), seed);
            ReportWriter.Written written = new ReportWriter().write(
                    new StudyResults(plan.title(), Map.of(method.label(), List.of(run))), dir);
            System.out.println(Files.readString(written.markdown()));
            ReportOut.announce(written);
            return 0;
        }
    }

    /** Checks every argument before a service starts; the model to evaluate. */
    ModelRef validate() {
        String[] parts = model.split(":", 2);
        try {
            CheckpointStore.checkName(parts[0], "MODEL's name");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (parts.length > 1 && !parts[1].matches("v\\d{1,9}")) {
            throw new ParameterException(spec.commandLine(), "MODEL's version must look like v3, got '"
                    + Values.prefix(parts[1]) + "'");
        }
        DatasetCatalog catalog = DatasetCatalog.shared();
        dataset("--in", in, catalog);
        ood.forEach(o -> dataset("--ood", o, catalog));
        for (String s : shifted) {
            try {
                catalog.shifts().parse(s);
            } catch (IllegalArgumentException e) {
                RuntimeException named = new FieldFlags("dataset.shift", "--shifted").translate(e);
                throw named != e ? named : new IllegalArgumentException("--shifted " + Values.prefix(s) + ": "
                        + e.getMessage(), e);
            }
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0: all), got " + limit);
        }
        if (mcSamples != null) {
            Values.range("--mc-samples", mcSamples, 1, 256);
        }
        out.validate();
        services.validate();
        return ModelRef.newBuilder().setName(parts[0]).setVersion(parts.length > 1 ? parts[1] : "").build();
    }

    private static void dataset(String flag, String name, DatasetCatalog catalog) {
        if (!catalog.names().contains(name)) {
            throw new IllegalArgumentException(flag + " must name a dataset (" + String.join(", ", catalog.names())
                    + "), got '" + Values.prefix(name) + "'");
        }
    }

    /** The model's first seed, from its manifest (a Deep Ensemble's members count up from it). */
    private static long seed(Checkpoint cp) throws Exception {
        JsonNode seeds = new ObjectMapper().readTree(cp.getManifestJson()).path("seeds");
        return seeds.isArray() && !seeds.isEmpty() ? seeds.get(0).asLong() : 0;
    }

    private EvaluationDataset set(SplitKind kind, String name, String dataset, String shift) {
        return EvaluationDataset.newBuilder().setSplit(Split.newBuilder().setKind(kind).setName(name))
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setSubset(Subset.TEST).setShift(shift)
                        .setLimit(limit).setSeed(17)).build();
    }
}
