package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.BatchMode;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.FastWeightInit;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.reports.Ablation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

/**
 * "What makes BatchEnsemble diverse?": the MNIST MLP with k = 4, every BatchEnsemble knob swept one at a time from the
 * paper's configuration ({@link MnistStudy#PAPER_BATCH_ENSEMBLE}) — fast-weight rank, initialisation, member 0,
 * tiled or split batches, weight decay on the fast weights, their learning rate — beside a single model and a Deep
 * Ensemble. The full run trains exactly the MNIST study's requests for its references, so their checkpoints are
 * shared with {@code escope reproduce}.
 */
public final class MnistAblation {
    public static final String NAME = "mnist-ablation";
    static final String SINGLE = "Single";
    static final String DEEP_ENSEMBLE = "Deep Ensemble (k=4)";
    static final String PAPER = "BE paper (rank 1, N(1, 0.5²), member 0 plain, tiled)";

    private MnistAblation() {}

    /** One swept setting: the knob, its value and the BatchEnsemble options that differ from the paper's there. */
    private record Variant(String knob, String setting, String label, UnaryOperator<BatchEnsembleOptions.Builder> change) {}

    private static List<Variant> variants() {
        return List.of(
                new Variant("Fast-weight rank", "2", "BE rank 2", b -> b.setRank(2)),
                new Variant("Fast-weight rank", "4", "BE rank 4", b -> b.setRank(4)),
                new Variant("Fast-weight init", "N(1, 0.1²)", "BE init N(1, 0.1²)", b -> b.setInitStd(0.1f)),
                new Variant("Fast-weight init", "N(1, 1.0²)", "BE init N(1, 1.0²)", b -> b.setInitStd(1.0f)),
                new Variant("Fast-weight init", "random sign ±1", "BE init ±1",
                        b -> b.setInit(FastWeightInit.RANDOM_SIGN)),
                new Variant("Member 0", "perturbed", "BE member 0 perturbed", b -> b.setMember0Unperturbed(false)),
                new Variant("Batches", "split", "BE split batches", b -> b.setBatchMode(BatchMode.SPLIT)),
                new Variant("Weight decay on r, s", "off", "BE no decay on r, s", b -> b.setDecayFastWeights(false)),
                new Variant("Fast-weight learning rate", "×10", "BE fast-weight lr ×10",
                        b -> b.setFastWeightLrMultiplier(10f)));
    }

    /** The paper configuration's setting of each knob, in sweep order. */
    private static final Map<String, String> PAPER_SETTINGS = Map.of("Fast-weight rank", "1",
            "Fast-weight init", "N(1, 0.5²)", "Member 0", "unperturbed", "Batches", "tiled",
            "Weight decay on r, s", "on", "Fast-weight learning rate", "×1");

    /**
     * @param seeds number of seeds (1, 2, …)
     * @param quick a few thousand training images and few epochs, for a run of a few minutes
     */
    public static StudyPlan plan(int seeds, boolean quick) {
        List<StudyMethod> methods = new ArrayList<>();
        methods.add(new StudyMethod(SINGLE, Method.SINGLE, 1, 0));
        methods.add(new StudyMethod(DEEP_ENSEMBLE, Method.DEEP_ENSEMBLE, MnistStudy.K, 0));
        methods.add(new StudyMethod(PAPER, Method.BATCH_ENSEMBLE, MnistStudy.K, 0, MnistStudy.PAPER_BATCH_ENSEMBLE));
        for (Variant v : variants()) {
            methods.add(new StudyMethod(v.label(), Method.BATCH_ENSEMBLE, MnistStudy.K, 0,
                    v.change().apply(MnistStudy.PAPER_BATCH_ENSEMBLE.toBuilder()).build()));
        }
        TrainRequest template = MnistStudy.template(false);
        if (quick) {
            template = template.toBuilder().setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(4_000))
                    .setValidationFraction(0.1f).setEpochs(3).setEarlyStoppingPatience(0).build();
        }
        int testLimit = quick ? 1_000 : 0;
        List<EvaluationDataset> eval = List.of(
                MnistStudy.split(SplitKind.IN_DISTRIBUTION, "mnist", "mnist", "", testLimit),
                MnistStudy.split(SplitKind.SHIFTED, "rotate-60", "mnist", "rotate-60", testLimit),
                MnistStudy.split(SplitKind.OOD, "fashion-mnist", "fashion-mnist", "", testLimit));
        return new StudyPlan(NAME, "What makes BatchEnsemble diverse? MNIST ablation", methods,
                LongStream.rangeClosed(1, seeds).boxed().toList(), template, eval, 500, List.of(
                        "Every BatchEnsemble row changes one knob of the paper's configuration (rank 1, r and s from"
                                + " N(1, 0.5²), member 0 on the plain W, batches tiled, weight decay and learning rate"
                                + " as for every weight); k = 4 throughout.",
                        "OOD set: Fashion-MNIST test; shifted set: MNIST test rotated by 60°.",
                        quick ? "Quick run: 4,000 training images (400 held out), 3 epochs, 1,000 test images per"
                                + " split."
                                : "Full run: the MNIST study's training (55,000 images, 5,000 held out, up to 10 epochs"
                                        + " with early stopping, patience 2), full 10,000-image test splits."),
                // The full run's references are the MNIST study's exact requests: name them alike to share them.
                quick ? NAME : MnistStudy.NAME);
    }

    /** Which rows are references and which knob each BatchEnsemble row varies. */
    public static Ablation ablation() {
        Map<String, Map<String, String>> knobs = new LinkedHashMap<>();
        for (Variant v : variants()) {
            knobs.computeIfAbsent(v.knob(), k -> {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put(PAPER_SETTINGS.get(k) + " (paper)", PAPER);
                return settings;
            }).put(v.setting(), v.label());
        }
        return new Ablation(SINGLE, DEEP_ENSEMBLE, PAPER, knobs.entrySet().stream()
                .map(e -> new Ablation.Knob(e.getKey(), e.getValue())).toList());
    }
}
