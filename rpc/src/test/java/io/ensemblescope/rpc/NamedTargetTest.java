package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A refused connection names the service and address; what a server answered is left as it said it. */
class NamedTargetTest {
    @Test
    void aRefusedConnectionNamesTheServiceAndItsAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String target = "127.0.0.1:" + port;
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext()
                .intercept(new NamedTarget("inference", target)).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> HealthGrpc
                    .newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("inference service at " + target + " is unreachable (connection refused)",
                    e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnavailableStatusFromTheServerKeepsItsDescription() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor().addService(new HealthGrpc
                .HealthImplBase() {
            @Override
            public void check(HealthCheckRequest request, StreamObserver<io.grpc.health.v1.HealthCheckResponse> o) {
                o.onError(Status.UNAVAILABLE.withDescription("inference service at x:1 is unreachable")
                        .asRuntimeException());
            }
        }).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor()
                .intercept(new NamedTarget("metrics", "localhost:50053")).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> HealthGrpc
                    .newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()));
            assertEquals("inference service at x:1 is unreachable", e.getStatus().getDescription());
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
