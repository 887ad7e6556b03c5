package io.ensemblescope.cli;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.cli.reproduce.CifarStudy;
import io.ensemblescope.cli.reproduce.MnistReference;
import io.ensemblescope.cli.reproduce.MnistStudy;
import io.ensemblescope.cli.reproduce.PaperNumbers;
import io.ensemblescope.cli.reproduce.StudyPlan;
import io.ensemblescope.cli.reproduce.StudyRunner;
import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.ensemblescope.cli.loadtest.ServerProbe;
import io.ensemblescope.cli.reproduce.CostMeasurement;
import io.ensemblescope.datasets.DatasetFetcher;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.reports.Comparison;
import io.ensemblescope.reports.ReportWriter;
import io.ensemblescope.reports.StudyResults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the study: train, evaluate and report every method.")
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--study", description = "mnist (default) or cifar10.")
    String study = "mnist";

    @Option(names = "--scale", description = "cifar10 only: paper, cpu (default) or smoke; --quick means smoke.")
    String scale;

    @Option(names = "--svhn-dir", description = "cifar10 only: directory with SVHN's test_32x32.mat, the paper's OOD"
            + " set (default: ESCOPE_SVHN_DIR; without it Fashion-MNIST-32 stands in, and the report says so).")
    Path svhnDir;

    @Option(names = "--seeds", description = "Seeds per method (default 3; --quick uses 1).")
    Integer seeds;

    @Option(names = "--quick", description = "Data slices and few epochs: a few minutes.")
    boolean quick;

    @Option(names = "--retrain", description = "Train again even when checkpoints of the same spec exist.")
    boolean retrain;

    @Option(names = "--mc-samples", description = "MC Dropout samples T at evaluation (default 8).")
    int mcSamples = 8;




    @Option(names = "--inference-from-metrics",
            description = "Which inference target configured on the metrics service evaluations use"
                    + " (--named-inference-target there; default: the metrics service's --inference-target).")
    String inferenceFromMetrics;



    @Option(names = "--no-cost", description = "Skip the Cost section (latency, throughput and memory of every method,"
            + " measured after the study: up to 60 s, 20 s with --quick).")
    boolean noCost;

    @Option(names = "--out", description = "Report directory (default reports/<study>-<time>).")
    Path out;

    @picocli.CommandLine.Mixin
    ServiceTargets services = new ServiceTargets();

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = plan();
        Path dir = out != null ? out : Path.of("reports", plan.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (services.local()) {
            prefetch(plan);
        }
        try (Connections c = services.open(dataDirectories())) {
            long start = System.nanoTime();
            StudyRunner runner = new StudyRunner(c.trainer(), c.inference(), c.metrics(),
                    inferenceFromMetrics != null ? inferenceFromMetrics : "", retrain, System.err);
            StudyResults results = runner.run(plan)
                    .withNotes(plan.notes())
                    .withReferences(study.equals("cifar10") ? List.of(PaperNumbers.cifar10())
                            : List.of(MnistReference.table()));
            if (!noCost) {
                results = results.withCost(new CostMeasurement(TrainerServiceGrpc.newBlockingStub(c.trainer()),
                        c.inferenceTarget(), c.security(), c.localInference().map(ServerProbe::new).orElse(null),
                        quick, System.err)
                        .measure(plan, runner.firstSeedCheckpoints()));
            }
            ReportWriter.Written written = new ReportWriter().write(results, dir);
            String comparison = Comparison.markdown(results);
            String rerun = rerunSection(plan, (System.nanoTime() - start) / 1e9);
            Files.writeString(written.markdown(), "\n" + comparison + "\n" + rerun, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            System.out.println(Files.readString(written.markdown()));
            System.err.printf(Locale.ROOT, "report: %s (%d plots)%n", written.markdown().toAbsolutePath(),
                    written.plots().size());
            return 0;
        } catch (io.grpc.StatusRuntimeException e) {
            throw new IllegalStateException(describe(e), e);
        }
    }

    /** The SVHN directory as the data directory the in-process metrics service offers (remote ones configure it). */
    private DataDirectories dataDirectories() {
        Path svhn = svhnDirectory();
        return study.equals("cifar10") && svhn != null
                ? DataDirectories.of(List.of(CifarStudy.SVHN_DATA_DIR + "=" + svhn)) : DataDirectories.NONE;
    }

    private Path svhnDirectory() {
        String env = System.getenv(io.ensemblescope.datasets.catalog.RobustnessDatasets.SVHN_ENV);
        return svhnDir != null ? svhnDir : env == null || env.isBlank() ? null : Path.of(env);
    }

    StudyPlan plan() {
        if (seeds != null && seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        if (mcSamples < 1) {
            throw new IllegalArgumentException("--mc-samples must be >= 1, got " + mcSamples);
        }
        if (study.equals("cifar10")) {
            Path svhn = svhnDirectory();
            return CifarStudy.plan(CifarStudy.Scale.parse(scale != null ? scale : quick ? "smoke" : "cpu"),
                    seeds != null ? seeds : 0, mcSamples, svhn,
                    io.ensemblescope.datasets.corrupt.FrostDirectory.locate().isPresent());
        }
        if (!study.equals("mnist")) {
            throw new IllegalArgumentException("--study must be mnist or cifar10, got " + study);
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

    private static String describe(io.grpc.StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> "a service is unreachable: " + e.getStatus().getDescription();
            default -> e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        };
    }
}
