package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.BatchMode;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.FastWeightInit;
import io.ensemblescope.api.v1.OptimizerKind;
import io.ensemblescope.api.v1.OptimizerSpec;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.Subset;
import io.ensemblescope.api.v1.TrainRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The paper's controlled MNIST study: the MLP 784-64-32-16-10 (ReLU, dropout 0.05) trained with Adam (lr 1e-3,
 * weight decay 1e-4, batch 128, early stopping) as a single model, MC Dropout, a Deep Ensemble (k = 4) and a
 * BatchEnsemble (k = 4); evaluated on MNIST test, rotations by 30° and 60°, Gaussian noise, and Fashion-MNIST as OOD.
 * BatchEnsemble uses the paper's code's configuration ({@link #PAPER_BATCH_ENSEMBLE}; docs/STUDIES.md lists every knob
 * and its source).
 */
public final class MnistStudy {
    static final int K = 4;
    static final String NAME = "mnist";

    /**
     * The paper's public code (MNIST MLP study): rank-1 fast weights r, s drawn from N(1, 0.5²), member 0 kept on the
     * plain shared W, the batch tiled k times with the targets repeated (a bias per member is built into the layer).
     */
    public static final BatchEnsembleOptions PAPER_BATCH_ENSEMBLE = BatchEnsembleOptions.newBuilder()
            .setRank(1).setInit(FastWeightInit.NORMAL).setInitStd(0.5f).setBatchMode(BatchMode.TILE)
            .setMember0Unperturbed(true).build();

    private MnistStudy() {}

    /**
     * @param seeds number of seeds (1, 2, …)
     * @param quick data slices and few epochs, for a run of a few minutes
     * @param mcSamples T for MC Dropout
     */
    public static StudyPlan plan(int seeds, boolean quick, int mcSamples) {
        List<StudyMethod> methods = StandardMethods.of(K, mcSamples);
        TrainRequest template = template(quick);
        int testLimit = quick ? 2_000 : 0;
        List<EvaluationDataset> eval = new ArrayList<>();
        eval.add(split(SplitKind.IN_DISTRIBUTION, "mnist", "mnist", "", testLimit));
        eval.add(split(SplitKind.SHIFTED, "rotate-30", "mnist", "rotate-30", testLimit));
        eval.add(split(SplitKind.SHIFTED, "rotate-60", "mnist", "rotate-60", testLimit));
        eval.add(split(SplitKind.SHIFTED, "gaussian-noise-0.3", "mnist", "gaussian-noise-0.3", testLimit));
        eval.add(split(SplitKind.OOD, "fashion-mnist", "fashion-mnist", "", testLimit));
        List<Long> seedList = LongStream.rangeClosed(1, seeds).boxed().toList();
        return new StudyPlan(NAME, "Is BatchEnsemble a single model? MNIST study", methods, seedList, template,
                eval, 500, List.of("OOD set: Fashion-MNIST test (unlabeled with respect to MNIST).",
                        quick ? "Quick run: 12,000 training images (1,200 held out), 5 epochs, 2,000 test images per split, 1 seed."
                                : "Full run: 55,000 training images (5,000 held out), up to 10 epochs with early "
                                        + "stopping (patience 2), full 10,000-image test splits."));
    }

    /** The training request every method shares (BatchEnsemble options reach BatchEnsemble runs only). */
    static TrainRequest template(boolean quick) {
        return TrainRequest.newBuilder()
                .setArchitecture("mnist-mlp")
                .setDataset(DatasetSpec.newBuilder().setName("mnist").setSubset(Subset.TRAIN)
                        .setLimit(quick ? 12_000 : 0))
                .setValidationFraction(quick ? 0.1f : 1f / 12) // 5,000 of 60,000 held out
                .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.ADAM).setLearningRate(1e-3f)
                        .setWeightDecay(1e-4f))
                .setEpochs(quick ? 5 : 10)
                .setEarlyStoppingPatience(quick ? 0 : 2)
                .setBatchSize(128)
                .setDropoutRate(0.05f)
                .setBatchEnsemble(PAPER_BATCH_ENSEMBLE)
                .build();
    }

    static EvaluationDataset split(SplitKind kind, String name, String dataset, String shift, int limit) {
        return EvaluationDataset.newBuilder()
                .setSplit(Split.newBuilder().setKind(kind).setName(name))
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setSubset(Subset.TEST).setShift(shift)
                        .setLimit(limit).setSeed(17))
                .build();
    }
}
