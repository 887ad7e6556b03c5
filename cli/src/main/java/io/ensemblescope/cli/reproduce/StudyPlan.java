package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.TrainRequest;
import java.util.List;

/**
 * A whole study: what to train for each method and seed, and what to evaluate on.
 *
 * @param name study name, e.g. "mnist"
 * @param title report title
 * @param methods the table's rows
 * @param seeds one training run of every method per seed
 * @param template training request shared by all methods (method, k, seed, name are filled per run; its
 *                 BatchEnsemble options reach BatchEnsemble runs only, so other methods' checkpoints keep their spec)
 * @param evaluation in-distribution, shifted and OOD sets, each named
 * @param evalBatchSize samples per inference request during evaluation
 * @param notes lines the report prints about this study's data (e.g. which OOD set stands in for SVHN)
 * @param checkpointStudy the study name checkpoints are named after: a study that trains some of another's exact
 *     requests (the MNIST ablation's baselines are the MNIST study's) names them alike and so reuses them
 */
public record StudyPlan(String name, String title, List<StudyMethod> methods, List<Long> seeds,
                        TrainRequest template, List<EvaluationDataset> evaluation, int evalBatchSize,
                        List<String> notes, String checkpointStudy) {
    public StudyPlan(String name, String title, List<StudyMethod> methods, List<Long> seeds, TrainRequest template,
                     List<EvaluationDataset> evaluation, int evalBatchSize, List<String> notes) {
        this(name, title, methods, seeds, template, evaluation, evalBatchSize, notes, name);
    }

    /** The request that trains {@code method} with {@code seed}. */
    public TrainRequest request(StudyMethod method, long seed) {
        TrainRequest.Builder b = template.toBuilder().setMethod(method.method()).setMembers(method.members())
                .clearSeeds().addSeeds(seed);
        if (method.method() != Method.BATCH_ENSEMBLE) {
            b.clearBatchEnsemble();
        } else if (method.batchEnsemble() != null) {
            b.setBatchEnsemble(method.batchEnsemble());
        }
        if (method.mcSamples() > 0) {
            b.setMcSamples(method.mcSamples());
        }
        b.setModelName(CheckpointNames.of(checkpointStudy, method, seed, b.clearModelName().build()));
        return b.build();
    }
}
