package io.ensemblescope.metrics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.EvaluationDataset;
import io.ensemblescope.api.v1.MetricsServiceGrpc;
import io.ensemblescope.api.v1.RunEvaluationRequest;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.metrics.evaluation.EvaluationLimits;
import io.ensemblescope.rpc.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A metrics server told to reach an inference service where none listens says which one, at which address. */
class UnreachableInferenceTest {
    @Test
    void runEvaluationNamesTheUnreachableInferenceService() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String target = "127.0.0.1:" + closed;
        // The operator configures the inference target; a client only picks among configured ones.
        ServiceServer server = MetricsServer.start(0, -1, target, EvaluationLimits.DEFAULT,
                new CatalogDataSource(DatasetCatalog.shared()), CheckpointWeights.unimplemented());
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
        try {
            RunEvaluationRequest request = RunEvaluationRequest.newBuilder().setModel(Chunks.MODEL)
                    .addDatasets(EvaluationDataset.newBuilder().setSplit(Chunks.split(SplitKind.IN_DISTRIBUTION,
                            "mnist-test")).setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(10)))
                    .build();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> MetricsServiceGrpc
                    .newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).runEvaluation(request)
                    .forEachRemaining(event -> { }));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("inference service at " + target + " is unreachable (connection refused)",
                    e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop(5);
        }
    }
}
