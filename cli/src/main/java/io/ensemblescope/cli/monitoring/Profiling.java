package io.ensemblescope.cli.monitoring;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.LoadModelRequest;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.engine.Engines;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.inference.monitoring.ReferenceProfile;
import io.ensemblescope.inference.monitoring.ReferenceProfiler;
import io.ensemblescope.inference.monitoring.ReferenceProfiles;
import io.ensemblescope.inference.serving.ServingOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Takes a checkpoint's reference profile through an inference service of its own (loopback, any port, monitoring
 * off), so no running server's histograms count the profiling traffic, and writes it beside the checkpoint.
 */
public final class Profiling {
    private Profiling() {}

    /** A written profile and where it lies. */
    public record Written(ReferenceProfile profile, Path file) {}

    public static Written take(CheckpointStore store, Manifest m, ImageDataset data, String description, int batch,
                               String device) throws Exception {
        InferenceServer.Running server = InferenceServer.start(0, -1, 256 << 20, store,
                ServingOptions.defaults(Engines.device(device)), null);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.server().port()).usePlaintext()
                .maxInboundMessageSize(256 << 20).build();
        try {
            ModelRef ref = ModelRef.newBuilder().setName(m.name()).setVersion(m.version()).build();
            var inference = InferenceServiceGrpc.newBlockingStub(channel);
            inference.loadModel(LoadModelRequest.newBuilder().setModel(ref).build());
            ReferenceProfile p = ReferenceProfiler.profile(inference, ref, data, description, batch,
                    ReferenceProfiles.manifestSha256(store.versionDir(m)));
            return new Written(p, ReferenceProfiles.write(store, m, p));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop();
        }
    }
}
