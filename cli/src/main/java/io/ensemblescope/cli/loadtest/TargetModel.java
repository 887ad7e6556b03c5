package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import java.util.Locale;

/**
 * A model under test as the server describes it: exact ref, method, members served, one sample's input shape, and
 * the label the outputs use (the study's row names, e.g. "BatchEnsemble (k=4)").
 */
public record TargetModel(ModelRef ref, String label, Method method, int members, long[] inputShape) {
    /** The pseudo-model of a run against the gRPC health service. */
    public static final TargetModel HEALTH = new TargetModel(ModelRef.newBuilder().setName("grpc.health.v1").build(),
            "health check", Method.METHOD_UNSPECIFIED, 0, new long[0]);

    /** @param mcSamples MC Dropout T asked for (0: the model's default) */
    public static TargetModel of(ModelInfo info, int mcSamples) {
        int members = info.getMethod() == Method.MC_DROPOUT && mcSamples > 0 ? mcSamples : info.getMembers();
        return new TargetModel(info.getRef(), label(info.getMethod(), members), info.getMethod(), members,
                info.getInputShapeList().stream().mapToLong(Long::longValue).toArray());
    }

    public TargetModel withLabel(String newLabel) {
        return new TargetModel(ref, newLabel, method, members, inputShape);
    }

    /** "name/version". */
    public String id() {
        return ref.getName() + (ref.getVersion().isEmpty() ? "" : "/" + ref.getVersion());
    }

    /** The method name the reports compare by ("SINGLE" is the baseline); "HEALTH" for the health check. */
    public String methodName() {
        return method == Method.METHOD_UNSPECIFIED ? "HEALTH" : method.name();
    }

    static String label(Method method, int members) {
        return switch (method) {
            case SINGLE -> "Single";
            case MC_DROPOUT -> String.format(Locale.ROOT, "MC Dropout (T=%d)", members);
            case DEEP_ENSEMBLE -> String.format(Locale.ROOT, "Deep Ensemble (k=%d)", members);
            case BATCH_ENSEMBLE -> String.format(Locale.ROOT, "BatchEnsemble (k=%d)", members);
            default -> method.name();
        };
    }
}
