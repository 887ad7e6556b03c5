package io.ensemblescope.metrics.service;

import io.ensemblescope.api.v1.EvaluationChunk;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.evaluation.MemberProbabilitiesCodec;
import io.ensemblescope.testing.RandomProbabilities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds Evaluate streams from plain arrays. */
public final class Chunks {
    public static final ModelRef MODEL = ModelRef.newBuilder().setName("mnist-batch-ensemble-k4-s1").setVersion("v1")
            .build();

    private Chunks() {}

    public static Split split(SplitKind kind, String name) {
        return Split.newBuilder().setKind(kind).setName(name).build();
    }

    public static EvaluationChunk chunk(Split split, float[] probs, int k, int b, int c, int[] labels) {
        EvaluationChunk.Builder chunk = EvaluationChunk.newBuilder()
                .setEvaluationId("eval-1")
                .setSplit(split)
                .setModel(MODEL)
                .setMethod(Method.BATCH_ENSEMBLE)
                .setProbabilities(MemberProbabilitiesCodec.encode(probs, k, b, c));
        if (labels != null) {
            Arrays.stream(labels).forEach(chunk::addLabels);
        }
        return chunk.build();
    }

    /** One split's samples cut into chunks of the given sizes (summing to n). */
    public static List<EvaluationChunk> cut(Split split, float[] p, int k, int n, int c, int[] labels, int[] sizes) {
        List<EvaluationChunk> out = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            out.add(chunk(split, RandomProbabilities.slice(p, k, n, c, from, size), k, size, c,
                    labels == null ? null : Arrays.copyOfRange(labels, from, from + size)));
            from += size;
        }
        if (from != n) {
            throw new IllegalArgumentException("sizes sum to " + from + ", not " + n);
        }
        return out;
    }

    /** Random chunk sizes summing to n. */
    public static int[] randomSizes(Random rnd, int n, int max) {
        List<Integer> sizes = new ArrayList<>();
        int left = n;
        while (left > 0) {
            int s = Math.min(left, 1 + rnd.nextInt(max));
            sizes.add(s);
            left -= s;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
