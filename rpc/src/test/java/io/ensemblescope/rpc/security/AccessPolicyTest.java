package io.ensemblescope.rpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.api.oip.GRPCInferenceServiceGrpc;
import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every RPC every server offers, from the generated descriptors, against the roles docs/SECURITY.md states: the data
 * plane is {@code predict}, the rest {@code admin}. A new RPC shows up here as a difference until it is classified.
 */
class AccessPolicyTest {
    private static final Set<String> DATA_PLANE = Set.of(
            "ensemblescope.v1.InferenceService/Predict",
            "ensemblescope.v1.InferenceService/PredictStream",
            "ensemblescope.v1.InferenceService/ReportOutcomes",
            "ensemblescope.v1.MetricsService/Evaluate",
            "grpc.health.v1.Health/Check",
            "grpc.health.v1.Health/Watch",
            "inference.GRPCInferenceService/ServerLive",
            "inference.GRPCInferenceService/ServerReady",
            "inference.GRPCInferenceService/ModelReady",
            "inference.GRPCInferenceService/ServerMetadata",
            "inference.GRPCInferenceService/ModelMetadata",
            "inference.GRPCInferenceService/ModelInfer");

    @Test
    void everyRpcHasTheDocumentedRole() {
        Map<String, Role> actual = new TreeMap<>();
        Map<String, Role> expected = new TreeMap<>();
        for (ServiceDescriptor service : new ServiceDescriptor[] {InferenceServiceGrpc.getServiceDescriptor(),
            TrainerServiceGrpc.getServiceDescriptor(), MetricsServiceGrpc.getServiceDescriptor(),
            GRPCInferenceServiceGrpc.getServiceDescriptor(), HealthGrpc.getServiceDescriptor(),
            ServerReflectionGrpc.getServiceDescriptor()}) {
            for (MethodDescriptor<?, ?> m : service.getMethods()) {
                actual.put(m.getFullMethodName(), AccessPolicy.required(m.getFullMethodName()));
                expected.put(m.getFullMethodName(), DATA_PLANE.contains(m.getFullMethodName()) ? Role.PREDICT
                        : Role.ADMIN);
            }
        }
        assertEquals(DATA_PLANE, actual.entrySet().stream().filter(e -> e.getValue() == Role.PREDICT)
                .map(Map.Entry::getKey).collect(Collectors.toSet()), "every data-plane RPC exists");
        assertEquals(expected, actual);
        assertEquals(Role.ADMIN, AccessPolicy.required("ensemblescope.v1.InferenceService/SomethingNew"),
                "an RPC the table does not name is admin-only");
    }
}
