package io.ensemblescope.inference.bench;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.core.routines.CheckpointAssembler;
import io.ensemblescope.core.checkpoint.CheckpointStore;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.EnsembleNetwork;
import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.NetworkSpec;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * CIFAR-sized ResNet-20 checkpoints with their seeded He-normal initial weights, untrained: latency does not
 * depend on the weights, and training ResNets does not fit this shared 2-core machine. Requests carry random
 * UINT8 pixels of shape [B, 3, 32, 32].
 */
final class RandomResNetCheckpoints {
    static final String ARCHITECTURE = "resnet20";
    private static final int CLASSES = 10;

    private RandomResNetCheckpoints() {}

    /** Commits {@code name} as an untrained ResNet-20 of {@code method} with k members. */
    static void commit(CheckpointStore store, String name, Method method, int k) throws IOException {
        NetworkSpec spec = new NetworkSpec(ARCHITECTURE, method, k, 0f, 1, null);
        long seed = 7;
        Path dir = Files.createTempDirectory("escope-resnet-" + name);
        List<Path> params = new ArrayList<>();
        try (EnsembleNetwork net = EnsembleNetwork.create(spec, CLASSES, Device.cpu(), seed)) {
            for (int i = 0; i < spec.replicas(); i++) {
                Path p = dir.resolve(Manifest.replicaFile(i));
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)))) {
                    net.saveReplica(i, out);
                }
                params.add(p);
            }
        }
        List<Long> seeds = IntStream.range(0, spec.replicas()).mapToObj(i -> seed + i).toList();
        Manifest draft = new Manifest(Manifest.FORMAT_VERSION, name, "", spec, CLASSES,
                IntStream.range(0, CLASSES).mapToObj(i -> "class" + i).toList(), new long[] {3, 32, 32},
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, Map.of("name", "untrained"),
                Map.of(), seeds, List.of(), Map.of(), List.of(), Instant.now().toString(),
                CheckpointAssembler.CODE_VERSION);
        store.commit(draft, params);
    }

    /** B random images as raw UINT8 pixels. */
    static PredictRequest request(String model, int batch) {
        byte[] px = new byte[batch * 3 * 32 * 32];
        new Random(batch).nextBytes(px);
        return PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName(model))
                .setInput(Tensor.newBuilder().addShape(batch).addShape(3).addShape(32).addShape(32)
                        .setDtype(DType.UINT8).setRawData(ByteString.copyFrom(px)))
                .setRequestId(model + "-" + batch).build();
    }
}
