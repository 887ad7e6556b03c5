package io.ensemblescope.cli;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.loadtest.ServerProbe;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.reproduce.CifarStudy;
import io.ensemblescope.cli.reproduce.CostMeasurement;
import io.ensemblescope.cli.reproduce.MnistAblation;
import io.ensemblescope.cli.reproduce.MnistReference;
import io.ensemblescope.cli.reproduce.MnistStudy;
import io.ensemblescope.cli.reproduce.PaperNumbers;
import io.ensemblescope.cli.reproduce.StudyPlan;
import io.ensemblescope.cli.reproduce.StudyRunner;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.catalog.RobustnessDatasets;
import io.ensemblescope.reports.AblationReport;
import io.ensemblescope.reports.Comparison;
import io.ensemblescope.reports.ReportWriter;
import io.ensemblescope.reports.StudyResults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code escope reproduce}: the paper's study end to end through the three services — train every method for every
 * seed (reusing checkpoints of the same spec), evaluate in-distribution, shifted and OOD data, measure weight
 * diversity, and write {@code reports/<run>/report.md}, {@code report.json} and plots.
 */
@Command(name = "reproduce",
        description = "Reproduce the study: train, evaluate and report every method.")
public final class ReproduceCommand implements Callable<Integer> {
    static final int MAX_SEEDS = 100;
    /** The in-process inference service's limit (ServingOptions.defaults). */
    static final int MAX_MC_SAMPLES = 256;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--study", description = "mnist, cifar10 or mnist-ablation (what makes BatchEnsemble diverse:"
            + " one knob at a time from the paper's configuration).")
    String study = "mnist";

    @Option(names = "--scale", description = "--study cifar10 only: paper, cpu or smoke (default cpu; --quick means"
            + " smoke).")
    String scale;

    @Option(names = "--svhn-dir", description = "--study cifar10 only: directory with SVHN's test_32x32.mat, the"
            + " paper's OOD set (default: $ESCOPE_SVHN_DIR; without either, Fashion-MNIST-32 stands in and the report"
            + " says so).")
    Path svhnDir;

    @Option(names = "--num-seeds", description = "Seeds per method: seeds 1..N (default: mnist 3, cifar10 by"
            + " scale, mnist-ablation 1; --quick: 1).")
    Integer numSeeds;

    /** The spelling before 0.2: kept for a release, says so when used. */
    @Option(names = "--seeds", hidden = true, description = "Old spelling of --num-seeds.")
    Integer seedsAlias;

    @Option(names = "--quick", description = "Data slices and few epochs: about a minute for MNIST.")
    boolean quick;

    @Option(names = "--retrain", description = "Train again even when checkpoints of the same spec exist.")
    boolean retrain;

    @Option(names = "--mc-samples", description = "MC Dropout samples T at evaluation (1..256).")
    int mcSamples = 8;

    @Option(names = "--inference-from-metrics",
            description = "With running services: which inference target configured on the metrics service"
                    + " evaluations use (--named-inference-target there; default: its --inference-target).")
    String inferenceFromMetrics;

    @Option(names = "--no-cost", description = "Skip the Cost section (latency, throughput and memory of every method,"
            + " measured after the study: up to 60 s, 20 s with --quick).")
    boolean noCost;

    @picocli.CommandLine.Mixin
    ReportOut out = new ReportOut();

    @picocli.CommandLine.Mixin
    ServiceTargets services = new ServiceTargets();

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = validate();
        if (seedsAlias != null) {
            System.err.println("escope: note: --seeds is now spelled --num-seeds");
        }
        Path dir = out.directory(plan.name());
        if (services.local()) {
            prefetch(plan);
        }
        try (Connections c = services.open(dataDirectories())) {
            long start = System.nanoTime();
            StudyRunner runner = new StudyRunner(c.trainer(), c.inference(), c.metrics(),
                    inferenceFromMetrics != null ? inferenceFromMetrics : "", retrain, System.err);
            boolean ablation = study.equals(MnistAblation.NAME);
            StudyResults results = runner.run(plan)
                    .withNotes(plan.notes())
                    .withReferences(study.equals("cifar10") ? List.of(PaperNumbers.cifar10())
                            : ablation ? List.of() : List.of(MnistReference.table()));
            if (!noCost) {
                results = results.withCost(new CostMeasurement(TrainerServiceGrpc.newBlockingStub(c.trainer()),
                        c.inferenceTarget(), c.security(), c.localInference().map(ServerProbe::new).orElse(null),
                        quick, System.err, ablation ? CostMeasurement.Scope.BATCH1 : CostMeasurement.Scope.FULL)
                        .measure(plan, runner.firstSeedCheckpoints()));
            }
            ReportWriter.Written written = new ReportWriter().write(results, dir);
            String comparison = (ablation ? AblationReport.write(results, MnistAblation.ablation(), dir).section()
                    + "\n" : "") + Comparison.markdown(results);
            String rerun = rerunSection(plan, (System.nanoTime() - start) / 1e9);
            Files.writeString(written.markdown(), "\n" + comparison + "\n" + rerun, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            System.out.println(Files.readString(written.markdown()));
            ReportOut.announce(written);
            return 0;
        }
    }

    /** Checks every option before any work (a bad one must not surface after an hour of training); the plan. */
    StudyPlan validate() {
        if (seedsAlias != null && numSeeds != null) {
            throw new IllegalArgumentException("--seeds is the old spelling of --num-seeds: give one of them");
        }
        StudyPlan plan = plan();
        if (svhn() != null) {
            String from = svhnDir != null ? "--svhn-dir" : RobustnessDatasets.SVHN_ENV;
            Values.existingDirectory(from, svhn());
            if (!Files.isRegularFile(svhn().resolve(RobustnessDatasets.SVHN_TEST_FILE))) {
                throw new IllegalArgumentException(from + " " + Values.prefix(svhn()) + " has no "
                        + RobustnessDatasets.SVHN_TEST_FILE + ": " + RobustnessDatasets.howToSupplySvhn());
            }
        }
        out.validate();
        services.validate();
        if (inferenceFromMetrics != null) {
            if (services.local()) {
                throw new IllegalArgumentException("--inference-from-metrics applies to running services only"
                        + " (with --trainer, --inference and --metrics)");
            }
        }
        return plan;
    }

    /** The SVHN directory as the data directory the in-process metrics service offers (remote ones configure it). */
    private DataDirectories dataDirectories() {
        Path svhn = svhn();
        return study.equals("cifar10") && svhn != null
                ? DataDirectories.of(List.of(CifarStudy.SVHN_DATA_DIR + "=" + svhn)) : DataDirectories.NONE;
    }

    private Path svhn() {
        if (svhnDir != null) {
            return svhnDir;
        }
        String env = System.getenv(RobustnessDatasets.SVHN_ENV);
        return env == null || env.isBlank() || !study.equals("cifar10") ? null : Path.of(env.strip());
    }

    /** The study the options ask for; every option is checked against it, the filesystem is not looked at. */
    StudyPlan plan() {
        Integer seeds = numSeeds != null ? numSeeds : seedsAlias;
        if (seeds != null) {
            Values.range(numSeeds != null ? "--num-seeds" : "--seeds", seeds, 1, MAX_SEEDS);
        }
        Values.range("--mc-samples", mcSamples, 1, MAX_MC_SAMPLES);
        if (study.equals("cifar10")) {
            if (quick && scale != null && !scale.equalsIgnoreCase("smoke")) {
                throw new IllegalArgumentException("--quick means --scale smoke; it cannot go with --scale " + scale);
            }
            CifarStudy.Scale s;
            try {
                s = CifarStudy.Scale.parse(scale != null ? scale : quick ? "smoke" : "cpu");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scale must be paper, cpu or smoke, got '" + Values.prefix(scale)
                        + "'", e);
            }
            return CifarStudy.plan(s, seeds != null ? seeds : 0, mcSamples, svhn(),
                    io.ensemblescope.datasets.corrupt.FrostDirectory.locate().isPresent());
        }
        if (!study.equals("mnist") && !study.equals(MnistAblation.NAME)) {
            throw new IllegalArgumentException("--study must be mnist, cifar10 or " + MnistAblation.NAME + ", got '"
                    + Values.prefix(study) + "'");
        }
        if (scale != null) {
            throw new IllegalArgumentException("--scale applies to --study cifar10 only (the MNIST study has --quick)");
        }
        if (svhnDir != null) {
            throw new IllegalArgumentException("--svhn-dir applies to --study cifar10 only (MNIST's OOD set is"
                    + " Fashion-MNIST)");
        }
        if (study.equals(MnistAblation.NAME)) {
            return MnistAblation.plan(seeds != null ? seeds : 1, quick);
        }
        return MnistStudy.plan(seeds != null ? seeds : quick ? 1 : 3, quick, mcSamples);
    }

    /** Fetches the study's datasets into the cache with a progress bar; the services then find them there. */
    private static void prefetch(StudyPlan plan) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(plan.template().getDataset().getName());
        plan.evaluation().stream().filter(e -> e.getDataset().getPath().isEmpty()) // user-supplied: nothing to fetch
                .forEach(e -> names.add(e.getDataset().getName()));
        for (String name : names) {
            ProgressBar bar = new ProgressBar(System.err, "fetch " + name);
            DatasetFetcher fetcher = new DatasetFetcher(DatasetFetcher.defaultCacheRoot(System::getenv), true,
                    System::getenv, (dataset, stage, done, total) -> bar.update(
                            total > 0 ? (double) done / total : 0, stage.name().toLowerCase(Locale.ROOT)));
            new DatasetCatalog(fetcher).load(new DatasetRequest(name, Subset.TEST, 0, 1, "", null, 0));
            bar.done("cached");
        }
    }

    private String rerunSection(StudyPlan plan, double seconds) throws Exception {
        StringBuilder md = new StringBuilder("## Configuration to rerun\n\n```\n./escope ");
        md.append(String.join(" ", spec.commandLine().getParseResult().originalArgs())).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Run time: %.0f s. Seeds: %s. ", seconds, plan.seeds()));
        plan.notes().forEach(n -> md.append(n).append(' '));
        md.append("\n\nTraining request shared by every method (method, k, seed and name set per run):\n\n```json\n")
                .append(JsonFormat.printer().print(plan.template())).append("\n```\n\nEvaluation sets:\n\n");
        plan.evaluation().forEach(e -> md.append("- ").append(e.getSplit().getName()).append(" (")
                .append(e.getSplit().getKind()).append("): ").append(e.getDataset().getName())
                .append(e.getDataset().getShift().isEmpty() ? "" : " shifted by " + e.getDataset().getShift())
                .append(e.getDataset().getLimit() > 0 ? ", first " + e.getDataset().getLimit() + " test images"
                        : ", whole test set").append('\n'));
        return md.toString();
    }
}
