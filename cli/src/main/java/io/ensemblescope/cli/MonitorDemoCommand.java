package io.ensemblescope.cli;

import io.ensemblescope.cli.config.Defaults;
import io.ensemblescope.rpc.security.ClientSecurity;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.cli.monitoring.MonitoringReadout;
import io.ensemblescope.cli.monitoring.Profiling;
import io.ensemblescope.cli.reproduce.MnistStudy;
import io.ensemblescope.cli.reproduce.StudyMethod;
import io.ensemblescope.cli.reproduce.StudyRunner;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.inference.monitoring.ImageTraffic;
import io.ensemblescope.inference.monitoring.MonitoringOptions;
import io.ensemblescope.rpc.PrometheusText;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escope monitor-demo}: live uncertainty monitoring end to end. Starts the three services in this process,
 * profiles a BatchEnsemble on the even MNIST test digits, then serves three phases — held-out odd MNIST test digits,
 * the same digits rotated by 60°, Fashion-MNIST — reporting the labels of the first two, and after each phase prints
 * the drift and rolling-calibration gauges as a scrape of the inference service's /metrics shows them.
 */
@Command(name = "monitor-demo", description = {"Show live drift and calibration monitoring: MNIST, then rotated digits, then Fashion-MNIST.",
            "Starts trainer, inference and metrics services in this process (inference /metrics on"
                    + " --metrics-port), trains or reuses the quick study's BatchEnsemble (or serves --model),"
                    + " writes its reference profile from the even MNIST test digits, and serves three phases of"
                    + " --samples images each: held-out MNIST digits, the same digits rotated by 60 degrees (labels"
                    + " reported through ReportOutcomes), and Fashion-MNIST. After each phase it prints PSI and KS of"
                    + " every statistic against the profile and the rolling accuracy, NLL, Brier and ECE."},
        footer = {"", "Point Prometheus at the printed /metrics URL (with --linger-seconds) to watch the Grafana"
                + " 'Uncertainty' row move; docs/INFERENCE.md describes what each panel shows."})
final class MonitorDemoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Serve this checkpoint (NAME or NAME:VERSION, an MNIST model) instead"
            + " of the quick study's BatchEnsemble.")
    String model;

    @Option(names = "--store", description = "Checkpoint store (default: $ESCOPE_STORE, else"
            + " ~/.cache/ensemblescope/checkpoints).")
    Path store;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--samples", description = "Images per phase, also the drift and calibration windows"
            + " (100 to 5000, default ${DEFAULT-VALUE}).")
    int samples = 1000;

    @Option(names = "--batch", description = "Images per request (1 to 500, default ${DEFAULT-VALUE}).")
    int batch = 20;

    @Option(names = "--metrics-port", description = "The inference service's /metrics port, 0 for any free one"
            + " (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--linger-seconds", description = "Keep serving this long after the last phase, for a"
            + " Prometheus scrape (0 to 3600, default ${DEFAULT-VALUE}).")
    int lingerSeconds;

    /** One phase of traffic; labels are reported for labeled ones. */
    private record Phase(String title, ImageDataset data, boolean labeled) {}

    @Override
    public Integer call() throws Exception {
        Values.range("--samples", samples, 100, 5000);
        Values.range("--batch", batch, 1, 500);
        Values.range("--linger-seconds", lingerSeconds, 0, 3600);
        MonitoringOptions monitoring = MonitoringOptions.DEFAULT.withDriftWindow(samples).withOutcomeWindow(samples);
        try (LocalServices services = LocalServices.start(Defaults.store(store), device, new int[3],
                new int[] {-1, metricsPort, -1}, monitoring)) {
            ManagedChannel channel = Targets.channel("inference", services.inferenceTarget(), ClientSecurity.PLAINTEXT);
            try {
                run(services, channel);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    private void run(LocalServices services, ManagedChannel channel) throws Exception {
        System.out.println("inference /metrics: " + services.inferenceMetricsUrl());
        ModelRef ref = model != null ? parse(model) : quickBatchEnsemble(services);
        CheckpointStore checkpoints = new CheckpointStore(Defaults.store(store));
        Manifest m = checkpoints.manifest(ref.getName(), ref.getVersion());
        ref = ref.toBuilder().setVersion(m.version()).build();
        ImageDataset mnist = test("mnist", "");
        System.out.println("\nreference profile (even MNIST test digits):");
        System.out.println(ProfileCommand.summary(Profiling.take(checkpoints, m, ImageTraffic.strided(mnist, 0, 2),
                "mnist test, even images", 500, device)));
        var inference = InferenceServiceGrpc.newBlockingStub(channel);
        inference.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
        Phase[] phases = {
            new Phase("MNIST, held-out (odd) test digits", heldOut(mnist), true),
            new Phase("MNIST rotated by 60 degrees", heldOut(test("mnist", "rotate-60")), true),
            new Phase("Fashion-MNIST (out of distribution, no labels)", test("fashion-mnist", "")
                    .slice(0, samples), false)};
        for (int p = 0; p < phases.length; p++) {
            serve(inference, ref, phases[p], p);
            MonitoringReadout r = MonitoringReadout.read(PrometheusText.scrape(services.inferenceMetricsUrl()),
                    ref.getName());
            System.out.printf(Locale.ROOT, "%nphase %d/3: %s — %d images served%s%n%s%n", p + 1, phases[p].title(),
                    samples, phases[p].labeled() ? ", labels reported" : "", r.table());
        }
        System.out.println(System.lineSeparator() + WHAT_IT_SHOWS);
        if (lingerSeconds > 0) {
            System.out.printf("%nserving for %d s more at %s%n", lingerSeconds, services.inferenceMetricsUrl());
            Thread.sleep(TimeUnit.SECONDS.toMillis(lingerSeconds));
        }
    }

    static final String WHAT_IT_SHOWS = String.join(System.lineSeparator(),
            "What the Grafana 'Uncertainty' row shows over these phases:",
            "- heatmaps: in phase 1 entropy, mutual information and disagreement keep their mass in the low buckets",
            "  and max probability in the high ones, as in the profile above; rotated digits and Fashion-MNIST move",
            "  entropy, mutual information and disagreement into the upper buckets and max probability down;",
            "- drift gauges (PSI and KS per statistic): below their thresholds (0.25, 0.1) in phase 1, far above",
            "  them from phase 2 on; the window stat shows how many served samples they cover;",
            "- rolling calibration: accuracy falls and NLL, Brier and ECE rise once the rotated digits' labels come",
            "  in; Fashion-MNIST has no MNIST labels, so these panels keep showing the last labeled window.");

    /** Sends the phase's images in requests of {@code batch} with ids, then reports their labels. */
    private void serve(InferenceServiceGrpc.InferenceServiceBlockingStub inference, ModelRef ref, Phase phase, int p) {
        ReportOutcomesRequest.Builder outcomes = ReportOutcomesRequest.newBuilder();
        ImageDataset d = phase.data();
        for (int from = 0; from < d.size(); from += batch) {
            int n = Math.min(batch, d.size() - from);
            String id = "demo-" + p + "-" + from;
            inference.predict(ImageTraffic.request(ref, d, from, n, id));
            if (phase.labeled()) {
                outcomes.addOutcomesBuilder().setRequestId(id).addAllLabels(Arrays.stream(d.labels(), from, from + n)
                        .boxed().toList());
            }
            if (outcomes.getOutcomesCount() == 1000 || (from + n >= d.size() && outcomes.getOutcomesCount() > 0)) {
                inference.reportOutcomes(outcomes.build());
                outcomes.clear();
            }
        }
    }

    /** The quick MNIST study's BatchEnsemble (k = 4, seed 1): reused when `escope reproduce --quick` trained it. */
    private static ModelRef quickBatchEnsemble(LocalServices services) throws InterruptedException {
        StudyMethod be = new StudyMethod("BatchEnsemble (k=4)", Method.BATCH_ENSEMBLE, 4, 0);
        ManagedChannel trainer = Targets.channel("trainer", services.trainerTarget(), ClientSecurity.PLAINTEXT);
        try {
            return new StudyRunner(trainer, trainer, trainer, services.inferenceTarget(), false, System.out)
                    .checkpoint(MnistStudy.plan(1, true, 0).request(be, 1), be, 1);
        } finally {
            trainer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code samples} odd-indexed images spread over the whole set: MNIST's first 5,000 test digits are easier than
     * the rest, so a prefix would differ from the profile (taken over all even images) by more than chance.
     */
    private ImageDataset heldOut(ImageDataset set) {
        ImageDataset odd = ImageTraffic.strided(set, 1, 2);
        return ImageTraffic.strided(odd, 0, Math.max(1, odd.size() / samples)).slice(0, samples);
    }

    private static ImageDataset test(String name, String shift) {
        return DatasetCatalog.shared().load(new DatasetRequest(name, Subset.TEST, 0, 0, shift, null, 17));
    }

    private static ModelRef parse(String spec) {
        String[] parts = spec.split(":", 2);
        return ModelRef.newBuilder().setName(parts[0]).setVersion(parts.length > 1 ? parts[1] : "").build();
    }

}
