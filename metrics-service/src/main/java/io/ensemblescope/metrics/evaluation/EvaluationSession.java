package io.ensemblescope.metrics.evaluation;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.core.text.ClientText;
import io.ensemblescope.metrics.math.SplitAccumulator;
import io.ensemblescope.metrics.math.SplitMetrics;
import io.ensemblescope.metrics.math.UncertaintyScores;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * One evaluation: chunks of any size and any mix of splits go in, one report comes out. Each split accumulates in
 * its own {@link SplitAccumulator} in arrival order, so the report does not depend on how the samples were chunked
 * or how the splits' chunks were interleaved.
 * Errors name the chunk (0-based) and, for probabilities, the row.
 */
public final class EvaluationSession {
    private final EvaluationLimits limits;
    private final Map<String, SplitState> splits = new LinkedHashMap<>();
    private String evaluationId;
    private ModelRef model = ModelRef.getDefaultInstance();
    private Method method = Method.METHOD_UNSPECIFIED;
    private int members;
    private int classes;
    private long chunks;
    private long samples;

    public EvaluationSession(EvaluationLimits limits) {
        this.limits = limits;
    }

    public long chunks() {
        return chunks;
    }

    public long samples() {
        return samples;
    }

    public String evaluationId() {
        return evaluationId == null ? "" : evaluationId;
    }

    public ModelRef model() {
        return model;
    }

    /**
     * Validates and adds one chunk.
     *
     * @throws IllegalArgumentException      bad content, naming chunk (and row or field)
     * @throws IllegalStateException         k or C differ from earlier chunks
     * @throws RejectedExecutionException    beyond the session's limits
     */
    public void accept(EvaluationChunk chunk) {
        long index = chunks++;
        String where = "chunk " + index;
        try {
            acceptChecked(chunk, index);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    private void acceptChecked(EvaluationChunk chunk, long index) {
        if (index == 0) {
            evaluationId = chunk.getEvaluationId();
        } else if (!chunk.getEvaluationId().equals(evaluationId)) {
            throw new IllegalArgumentException("evaluation_id: " + ClientText.quote(chunk.getEvaluationId())
                    + " differs from the first chunk's " + ClientText.quote(evaluationId));
        }
        if (chunk.hasModel()) {
            if (model.getName().isEmpty()) {
                model = chunk.getModel();
            } else if (!model.equals(chunk.getModel())) {
                throw new IllegalArgumentException("model: " + ClientText.quote(chunk.getModel().getName())
                        + " differs from " + ClientText.quote(model.getName()));
            }
        }
        if (chunk.getMethod() != Method.METHOD_UNSPECIFIED) {
            method = chunk.getMethod();
        }
        Split split = chunk.getSplit();
        if (split.getKind() == SplitKind.SPLIT_KIND_UNSPECIFIED || split.getKind() == SplitKind.UNRECOGNIZED) {
            throw new IllegalArgumentException("split.kind: must be IN_DISTRIBUTION, SHIFTED or OOD");
        }
        if (split.getName().isBlank()) {
            throw new IllegalArgumentException("split.name: must not be empty");
        }
        if (!chunk.hasProbabilities()) {
            throw new IllegalArgumentException("probabilities: missing");
        }
        float[] probs = MemberProbabilitiesCodec.decode(chunk.getProbabilities(), limits.maxMembers());
        int k = chunk.getProbabilities().getMembers();
        int b = chunk.getProbabilities().getBatch();
        int c = chunk.getProbabilities().getClasses();
        if (members == 0) {
            members = k;
            classes = c;
        } else if (k != members || c != classes) {
            throw new IllegalStateException("k and C must stay the same across chunks: first chunk had k=" + members
                    + ", C=" + classes + ", this one k=" + k + ", C=" + c);
        }
        if (samples + b > limits.maxSamples()) {
            throw new RejectedExecutionException("chunk " + index + ": evaluation exceeds " + limits.maxSamples()
                    + " samples");
        }
        SplitState state = splits.get(split.getName());
        if (state == null) {
            if (splits.size() == limits.maxSplits()) {
                throw new RejectedExecutionException("chunk " + index + ": evaluation exceeds " + limits.maxSplits()
                        + " splits");
            }
            state = new SplitState(split, new SplitAccumulator(k, c, split.getKind() != SplitKind.OOD));
            splits.put(split.getName(), state);
        } else if (state.split.getKind() != split.getKind()) {
            throw new IllegalArgumentException("split.kind: split " + ClientText.quote(split.getName()) + " was "
                    + state.split.getKind() + ", now " + split.getKind());
        }
        int[] labels = chunk.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
        state.accumulator.accept(probs, k, b, c, labels);
        samples += b;
    }

    /**
     * The report over everything accepted.
     *
     * @throws IllegalArgumentException when no samples arrived
     * @throws IllegalStateException    when OOD splits arrived without an in-distribution split to compare against
     */
    public EvaluationReport report() {
        if (samples == 0) {
            throw new IllegalArgumentException("evaluation: no samples (an empty evaluation has no report)");
        }
        // Report order is kind (in-distribution, shifted, OOD) then name, so interleaving never changes the report.
        Map<Split, SplitMetrics> results = new LinkedHashMap<>();
        splits.values().stream()
                .sorted(Comparator.comparingInt((SplitState s) -> s.split.getKind().getNumber())
                        .thenComparing(s -> s.split.getName()))
                .forEach(s -> results.put(s.split, s.accumulator.result()));
        return ReportProtos.evaluation(evaluationId(), model, method, members, classes, results);
    }

    /** Per-sample OOD scores by split name (for score histograms and ROC curves when evaluating in-process). */
    public Map<String, UncertaintyScores> scores() {
        Map<String, UncertaintyScores> out = new LinkedHashMap<>();
        splits.forEach((name, s) -> out.put(name, s.accumulator.scores()));
        return out;
    }

    private record SplitState(Split split, SplitAccumulator accumulator) {}
}
