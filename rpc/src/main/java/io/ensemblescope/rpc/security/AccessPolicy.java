package io.ensemblescope.rpc.security;

import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The role each RPC requires, in one table for every service (docs/SECURITY.md, "Per RPC"). The data plane
 * ({@link Role#PREDICT}) is what a client sends its own data to: Predict, PredictStream, ReportOutcomes, Evaluate
 * (chunks the caller streams), health, and the whole Open Inference Protocol (whose metadata describes what a
 * caller may infer with). Everything else needs {@link Role#ADMIN}: every trainer RPC (train, cancel, jobs,
 * checkpoints), ListModels and GetModel (they read the store's manifests), LoadModel and UnloadModel (what is in
 * memory, and the batching policy), RunEvaluation (server-side datasets), WeightDiversity (reads checkpoints), server
 * reflection, and any method this table does not name, so a new RPC is admin-only until it is classified here.
 */
public final class AccessPolicy {
    private static final Set<String> PREDICT_METHODS = Stream.of(
                    InferenceServiceGrpc.getPredictMethod(),
                    InferenceServiceGrpc.getPredictStreamMethod(),
                    InferenceServiceGrpc.getReportOutcomesMethod(),
                    MetricsServiceGrpc.getEvaluateMethod())
            .map(MethodDescriptor::getFullMethodName).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> PREDICT_SERVICES = Set.of(GRPCInferenceServiceGrpc.SERVICE_NAME,
            HealthGrpc.SERVICE_NAME);

    private AccessPolicy() {}

    /** The role a call of {@code fullMethodName} ({@code package.Service/Method}) requires. */
    public static Role required(String fullMethodName) {
        if (PREDICT_METHODS.contains(fullMethodName)
                || PREDICT_SERVICES.contains(MethodDescriptor.extractFullServiceName(fullMethodName))) {
            return Role.PREDICT;
        }
        return Role.ADMIN;
    }
}
