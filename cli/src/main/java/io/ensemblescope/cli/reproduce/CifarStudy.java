package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.LrSchedule;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.Subset;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.datasets.corrupt.Corruptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The paper's CIFAR-10 study: single model, MC Dropout, Deep Ensemble (k = 4) and BatchEnsemble (k = 4), trained on
 * CIFAR-10 with SGD (lr 0.05, momentum 0.9, Nesterov, weight decay 5·10⁻⁴, batch 128, dropout 0.1) and evaluated on
 * the CIFAR-10 test set, CIFAR-10-C corruptions at severity 5 (one SHIFTED split per corruption, named
 * {@code cifar10c-<corruption>-5}; the report adds their mean) and an OOD set: SVHN when the user supplies it, else
 * Fashion-MNIST resized to 32×32 ({@code fashion-mnist-32}), named as such in the split and in the notes.
 *
 * <p>Three scales:
 * <ul>
 *   <li>{@link Scale#PAPER}: the paper's budget — ResNet-18, 75 epochs, lr ×0.1 after epochs 25 and 50, full test
 *       sets, all 15 corruptions, 5 seeds. For GPU machines.</li>
 *   <li>{@link Scale#CPU}: what fits in about 90 minutes on a 2-core machine. ResNet-20 training throughput measured
 *       there ({@code ./escope bench training --cifar-images 512 --mnist-images 1000 --epochs 1}, OpenMP wait policy
 *       PASSIVE, load average ≈ 6; wall time per 512-image epoch): single 5.9 s, MC Dropout 6.7 s, Deep Ensemble
 *       k=4 20.9 s, BatchEnsemble k=4 45.2 s — together 0.154 s per training image per epoch for the four methods.
 *       5,000 images (4,500 train + 500 validation) × 5 epochs × 0.154 s ≈ 3,850 s ≈ 64 min. Evaluation, a
 *       forward costing a third of a training step and T = 8: ≈ 0.07 s per image for all methods, × 6 splits ×
 *       1,000 images ≈ 7 min. ≈ 71 min in all, leaving ≈ 20 % for a busier machine. One corruption per family
 *       (noise, blur, weather, digital), 1 seed.</li>
 *   <li>{@link Scale#SMOKE}: minutes, for CI — 512 images, 1 epoch, 200 images per split, two corruptions.</li>
 * </ul>
 * The held-out-class OOD pair (cifar10-holdout-in/-ood) is not part of these presets: its OOD classes are
 * in-distribution for a model trained on all ten classes.
 */
public final class CifarStudy {
    static final int K = 4;
    static final int SEVERITY = 5;
    /** One corruption per family, the ones the {@link Scale#CPU} run keeps. */
    static final List<String> CPU_CORRUPTIONS = List.of("gaussian_noise", "defocus_blur", "fog", "jpeg_compression");
    static final List<String> SMOKE_CORRUPTIONS = List.of("gaussian_noise", "fog");

    private CifarStudy() {}

    /** How much of the paper's budget a run spends. */
    public enum Scale {
        PAPER("resnet18", 0, 75, new int[] {26, 51}, 5, 0, Corruptions.BENCHMARK,
                "paper scale: ResNet-18, full CIFAR-10 (49,000 train / 1,000 validation), 75 epochs, lr ×0.1 after"
                        + " epochs 25 and 50, full 10,000-image test splits"),
        CPU("resnet20", 5_000, 5, new int[] {5}, 1, 1_000, CPU_CORRUPTIONS,
                "cpu scale: ResNet-20, 5,000 CIFAR-10 training images (4,500 train / 500 validation), 5 epochs, lr"
                        + " ×0.1 for the last epoch, the first 1,000 images of each test split — far below the"
                        + " paper's budget, so absolute numbers are not comparable to the paper's"),
        SMOKE("resnet20", 512, 1, new int[0], 1, 200, SMOKE_CORRUPTIONS,
                "smoke scale: ResNet-20, 512 CIFAR-10 training images, 1 epoch, 200 images per test split — checks"
                        + " the pipeline only; the numbers mean nothing");

        final String architecture;
        final int trainLimit;
        final int epochs;
        final int[] milestones;
        final int defaultSeeds;
        final int testLimit;
        final List<String> corruptions;
        final String description;

        Scale(String architecture, int trainLimit, int epochs, int[] milestones, int defaultSeeds,
              int testLimit, List<String> corruptions, String description) {
            this.architecture = architecture;
            this.trainLimit = trainLimit;
            this.epochs = epochs;
            this.milestones = milestones;
            this.defaultSeeds = defaultSeeds;
            this.testLimit = testLimit;
            this.corruptions = corruptions;
            this.description = description;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The scale called {@code id} (paper, cpu, smoke). */
        public static Scale parse(String id) {
            for (Scale s : values()) {
                if (s.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("scale: unknown '" + id + "', expected one of "
                    + Arrays.stream(values()).map(Scale::id).toList());
        }
    }

    /** The data directory the SVHN split names: configured on the metrics service (--data-dir svhn=DIR). */
    public static final String SVHN_DATA_DIR = "svhn";

    /**
     * @param seeds number of seeds, 0 for the scale's default (paper 5, cpu and smoke 1)
     * @param mcSamples T for MC Dropout
     * @param svhnDir directory holding SVHN's test_32x32.mat, or null: Fashion-MNIST-32 is the OOD set then
     * @param frostAvailable whether the frost textures are there; frost is left out (and the notes say so) if not
     */
    public static StudyPlan plan(Scale scale, int seeds, int mcSamples, Path svhnDir, boolean frostAvailable) {
        if (seeds < 0) {
            throw new IllegalArgumentException("seeds must be >= 0 (0 = the scale's default), got " + seeds);
        }
        if (mcSamples < 1) {
            throw new IllegalArgumentException("mcSamples must be >= 1, got " + mcSamples);
        }
        TrainRequest template = TrainRequest.newBuilder()
                .setArchitecture(scale.architecture)
                .setDataset(DatasetSpec.newBuilder().setName("cifar10").setSubset(Subset.TRAIN)
                        .setLimit(scale.trainLimit))
                .setValidationFraction(scale == Scale.PAPER ? 0.02f : 0.1f)
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.SGD).setLearningRate(0.05f)
                        .setMomentum(0.9f).setNesterov(true).setWeightDecay(5e-4f))
                .setLrSchedule(LrSchedule.newBuilder().setGamma(0.1f)
                        .addAllMilestones(Arrays.stream(scale.milestones).boxed().toList()))
                .setEpochs(scale.epochs)
                .setEarlyStoppingPatience(0)
                .setBatchSize(128)
                .setDropoutRate(0.1f)
                .build();
        List<String> notes = new ArrayList<>();
        notes.add("Scale: " + scale.description + ".");
        List<EvaluationDataset> eval = new ArrayList<>();
        eval.add(MnistStudy.split(SplitKind.IN_DISTRIBUTION, "cifar10-test", "cifar10", "", scale.testLimit));
        List<String> corruptions = new ArrayList<>(scale.corruptions);
        if (!frostAvailable && corruptions.remove(Corruptions.FROST)) {
            notes.add("CIFAR-10-C: frost left out — its textures were not found (set -Descope.frost.dir or "
                    + "ESCOPE_FROST_DIR); the corruption mean covers " + corruptions.size() + " corruptions.");
        }
        for (String c : corruptions) {
            String shift = "cifar10c-" + c + "-" + SEVERITY;
            eval.add(MnistStudy.split(SplitKind.SHIFTED, shift, "cifar10", shift, scale.testLimit));
        }
        notes.add("CIFAR-10-C: regenerated here from the CIFAR-10 test images (" + corruptions.size()
                + " corruptions at severity " + SEVERITY + ", one split each, seed 17), not the released files.");
        if (svhnDir != null) {
            EvaluationDataset svhn = MnistStudy.split(SplitKind.OOD, "svhn-test", "svhn", "", scale.testLimit);
            // The path names the metrics service's data directory (configured by its operator), never a path.
            eval.add(svhn.toBuilder().setDataset(svhn.getDataset().toBuilder().setPath(SVHN_DATA_DIR)).build());
            notes.add("OOD set behind every OOD number: SVHN test (" + svhnDir + "), as in the paper.");
        } else {
            eval.add(MnistStudy.split(SplitKind.OOD, "fashion-mnist-32-test", "fashion-mnist-32", "",
                    scale.testLimit));
            notes.add("OOD set behind every OOD number: Fashion-MNIST test resized to 32×32 RGB (fashion-mnist-32)"
                    + ", standing in for SVHN, which was not supplied — its AUROCs are not comparable to the"
                    + " paper's SVHN AUROCs. Supply SVHN with --svhn-dir or ESCOPE_SVHN_DIR.");
        }
        int n = seeds == 0 ? scale.defaultSeeds : seeds;
        List<Long> seedList = LongStream.rangeClosed(1, n).boxed().toList();
        return new StudyPlan("cifar10-" + scale.id(), "Is BatchEnsemble a single model? CIFAR-10 study ("
                + scale.id() + " scale)", StandardMethods.of(K, mcSamples), seedList, template, eval,
                scale == Scale.PAPER ? 500 : 250, notes);
    }
}
