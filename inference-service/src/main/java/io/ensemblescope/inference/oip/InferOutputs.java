package io.ensemblescope.inference.oip;

import io.ensemblescope.core.models.Method;
import io.ensemblescope.inference.serving.Prediction;
import io.ensemblescope.metrics.math.SampleStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requested output tensors of one prediction. With every member kept, probabilities, member probabilities and
 * logits are the serving core's own arrays (so they equal the native API's bit for bit); a members subset takes
 * those members' rows and averages them in double. The uncertainty outputs come from metrics-math.
 */
final class InferOutputs {
    private InferOutputs() {}

    static InferResult of(Prediction p, InferPlan plan) {
        int b = p.batch();
        int c = p.classes();
        int[] keep = keptMembers(p, plan.members());
        int k = keep == null ? p.members() : keep.length;
        float[] probs = keep == null ? p.memberProbabilities() : rows(p.memberProbabilities(), keep, b, c);
        SampleStatistics uncertainty = null;
        List<InferResult.Output> outputs = new ArrayList<>(plan.outputs().size());
        for (OipOutput o : plan.outputs()) {
            float[] data = switch (o) {
                case PROBABILITIES -> keep == null ? p.meanProbabilities() : mean(probs, k, b, c);
                case MEMBER_PROBABILITIES -> probs;
                case LOGITS -> keep == null ? p.logits() : rows(p.logits(), keep, b, c);
                case PREDICTIVE_ENTROPY, MUTUAL_INFORMATION, DISAGREEMENT -> {
                    if (uncertainty == null) {
                        uncertainty = uncertainty(p, probs, k);
                    }
                    float[] values = new float[b];
                    for (int j = 0; j < b; j++) {
                        values[j] = (float) switch (o) {
                            case PREDICTIVE_ENTROPY -> uncertainty.predictiveEntropy(j);
                            case MUTUAL_INFORMATION -> uncertainty.mutualInformation(j);
                            default -> uncertainty.disagreement(j);
                        };
                    }
                    yield values;
                }
            };
            outputs.add(new InferResult.Output(o, o.shape(k, b, c), data));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("members", (long) k);
        params.put("queue_micros", p.queueMicros());
        params.put("compute_micros", p.computeMicros());
        params.put("total_micros", p.totalMicros());
        params.put("batched_samples", (long) p.batchedSamples());
        return new InferResult(p.name(), p.version(), p.requestId(), outputs, params);
    }

    private static SampleStatistics uncertainty(Prediction p, float[] probs, int k) {
        try {
            return SampleStatistics.of(probs, k, p.batch(), p.classes());
        } catch (IllegalArgumentException e) {
            // The input was finite (checked on decode): rows that are no distribution are the model's fault.
            throw new ArithmeticException("model " + p.name() + "/" + p.version()
                    + " returned probabilities that are not a distribution: " + e.getMessage());
        }
    }

    /** The members to keep, checked against this model's k, or null for all. */
    private static int[] keptMembers(Prediction p, int[] members) {
        if (members == null) {
            return null;
        }
        if (p.method() == Method.MC_DROPOUT) {
            throw new IllegalArgumentException("parameters.members: MC Dropout's samples are not members; use"
                    + " mc_samples to choose T");
        }
        for (int i : members) {
            if (i >= p.members()) {
                throw new IllegalArgumentException("parameters.members: member " + i + " is out of range [0, "
                        + p.members() + ") for model " + p.name());
            }
        }
        return members;
    }

    /** Rows of members {@code keep} from member-major [k, B, C], member-major again. */
    private static float[] rows(float[] all, int[] keep, int b, int c) {
        int block = b * c;
        float[] out = new float[keep.length * block];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(all, keep[i] * block, out, i * block, block);
        }
        return out;
    }

    /** Mean over the k members of [k, B, C], [B, C], summed in double. */
    private static float[] mean(float[] probs, int k, int b, int c) {
        int block = b * c;
        float[] out = new float[block];
        for (int x = 0; x < block; x++) {
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += probs[i * block + x];
            }
            out[x] = (float) (sum / k);
        }
        return out;
    }
}
